"""Strings of the course tools, in English and Khmer: the officer's reference of genuine documents,
the desk's next steps after a suspect result, and the trainer's course pages (course settings,
trainee records and reviews, item statistics, the library's own specimens).

Merged into :data:`docexam.ui.i18n.STRINGS` (same rules: both languages, the same placeholders).
"""

from __future__ import annotations

COURSE_STRINGS: dict[str, tuple[str, str]] = {
    # --- practice
    "round_short": ("This lesson has questions on {n} different documents only: this round has {n} questions, "
                    "so that no document comes twice.",
                    "មេរៀននេះមានសំណួរលើឯកសារខុសគ្នាតែ {n} ប៉ុណ្ណោះ៖ វគ្គនេះមាន {n} សំណួរ "
                    "ដើម្បីកុំឱ្យឯកសារណាមួយមកពីរដង។"),
    # --- desk: after a suspect result
    "next_steps_source": ("From the lesson “{lesson}”.", "ដកស្រង់ពីមេរៀន «{lesson}»។"),
    "referral_note": ("Referral note", "កំណត់ត្រាបញ្ជូនបន្ត"),
    "referral_note_help": ("The machine's part is filled in. Complete yours, then print or save it and hand it "
                           "over with the document.",
                           "ផ្នែករបស់ម៉ាស៊ីនត្រូវបានបំពេញរួចហើយ។ សូមបំពេញផ្នែករបស់អ្នក រួចបោះពុម្ព ឬរក្សាទុក "
                           "ហើយប្រគល់វាជាមួយឯកសារ។"),
    "download_note": ("Download the note", "ទាញយកកំណត់ត្រា"),
    "note_title": ("docexam referral note, {when}", "កំណត់ត្រាបញ្ជូនបន្ត docexam, {when}"),
    "note_document": ("Document type: {name}", "ប្រភេទឯកសារ៖ {name}"),
    "note_result": ("Machine result: suspect, score {score}. Findings:",
                    "លទ្ធផលម៉ាស៊ីន៖ គួរឱ្យសង្ស័យ ពិន្ទុ {score}។ ការរកឃើញ៖"),
    "note_traveller": ("Traveller's name, nationality and document number (as printed):",
                       "ឈ្មោះ សញ្ជាតិ និងលេខឯកសាររបស់អ្នកដំណើរ (ដូចដែលបានបោះពុម្ព)៖"),
    "note_seen": ("What I saw myself (which feature, where, under which light):",
                  "អ្វីដែលខ្ញុំបានឃើញដោយខ្លួនឯង (លក្ខណៈណា នៅកន្លែងណា ក្រោមពន្លឺណា)៖"),
    "note_handed": ("Handed to (name, unit) and when:", "បានប្រគល់ឱ្យ (ឈ្មោះ អង្គភាព) និងពេលណា៖"),
    "note_officer": ("Officer (name, unit):", "មន្ត្រី (ឈ្មោះ អង្គភាព)៖"),
    # --- reference of genuine documents
    "nav_reference": ("Genuine documents", "ឯកសារពិត"),
    "reference_title": ("Genuine documents and their security features",
                        "ឯកសារពិត និងលក្ខណៈសុវត្ថិភាពរបស់វា"),
    "reference_intro": ("Each document type as it should look, in every light, with its security features "
                        "numbered. Choose a feature to see it up close and read what to check.",
                        "ប្រភេទឯកសារនីមួយៗ ដូចដែលវាគួរតែមើលទៅ ក្រោមពន្លឺនីមួយៗ ដោយមានលេខលើលក្ខណៈសុវត្ថិភាព។ "
                        "ជ្រើសរើសលក្ខណៈមួយ ដើម្បីមើលវាឱ្យជិត ហើយអានអ្វីដែលត្រូវពិនិត្យ។"),
    "reference_source": ("Show", "បង្ហាញ"),
    "reference_specimen": ("A genuine document, personalised", "ឯកសារពិតដែលមានទិន្នន័យម្ចាស់"),
    "reference_blank": ("The blank genuine template", "គំរូពិតទទេ"),
    "reference_feature": ("Security feature", "លក្ខណៈសុវត្ថិភាព"),
    "reference_fields": ("Printed data fields", "វាលទិន្នន័យដែលបានបោះពុម្ព"),
    "reference_in_lights": ("Up close, in each light", "មើលឱ្យជិត ក្រោមពន្លឺនីមួយៗ"),
    "reference_what_to_check": ("What to check", "អ្វីដែលត្រូវពិនិត្យ"),
    "reference_unexplained": ("No lesson explains this feature yet.", "មិនទាន់មានមេរៀនណាពន្យល់លក្ខណៈនេះនៅឡើយទេ។"),
    "reference_no_templates": ("No document type is installed.", "មិនមានប្រភេទឯកសារណាមួយត្រូវបានដំឡើងទេ។"),
    # --- trainer pages: shared
    "nav_course_settings": ("Course settings", "ការកំណត់វគ្គ"),
    "nav_trainees": ("Trainees", "សិក្ខាកាម"),
    "nav_item_stats": ("Item statistics", "ស្ថិតិសំណួរ"),
    "workshop": ("Workshop", "វគ្គ"),
    "no_workshop": ("No workshop yet: create one on the Workshops page.",
                    "មិនទាន់មានវគ្គនៅឡើយទេ៖ សូមបង្កើតមួយនៅទំព័រវគ្គ។"),
    "all_workshops": ("All workshops", "វគ្គទាំងអស់"),
    # --- course settings
    "cs_title": ("Course settings", "ការកំណត់វគ្គ"),
    "cs_intro": ("The order in which this workshop's trainees take the steps, when each step opens, and the rule "
                 "for the certificate. A trainee sees a closed step with the time it opens.",
                 "លំដាប់ដែលសិក្ខាកាមនៃវគ្គនេះធ្វើជំហាននីមួយៗ ពេលដែលជំហាននីមួយៗបើក និងច្បាប់សម្រាប់វិញ្ញាបនបត្រ។ "
                 "សិក្ខាកាមឃើញជំហានដែលបិទ ជាមួយពេលវេលាដែលវាបើក។"),
    "cs_order": ("Steps, in the order trainees take them (leave a step out to drop it)",
                 "ជំហាន តាមលំដាប់ដែលសិក្ខាកាមធ្វើ (ដកជំហានចេញ ដើម្បីលុបវាចោល)"),
    "cs_opens": ("Opening times", "ពេលវេលាបើក"),
    "cs_opens_step": ("The {step} opens at a set time", "{step} បើកនៅពេលកំណត់"),
    "cs_date": ("Date", "កាលបរិច្ឆេទ"),
    "cs_time": ("Time", "ម៉ោង"),
    "cs_practice": ("Practice answers needed in each lesson before the next step (0: none)",
                    "ចំនួនចម្លើយហាត់ការដែលត្រូវការក្នុងមេរៀននីមួយៗ មុនជំហានបន្ទាប់ (0៖ មិនត្រូវការ)"),
    "cs_pass_mark": ("Post-test pass mark (%)", "ពិន្ទុជាប់នៃតេស្តក្រោយវគ្គ (%)"),
    "cs_certificate": ("The certificate is awarded for", "វិញ្ញាបនបត្រត្រូវបានផ្តល់ឱ្យសម្រាប់"),
    "cert_attendance": ("Taking part in every step", "ការចូលរួមគ្រប់ជំហាន"),
    "cert_pass-mark": ("The post-test pass mark", "ពិន្ទុជាប់នៃតេស្តក្រោយវគ្គ"),
    "cert_both": ("Both", "ទាំងពីរ"),
    "cs_rule_preview": ("Printed on the certificate: {rule}", "បោះពុម្ពលើវិញ្ញាបនបត្រ៖ {rule}"),
    "cs_save": ("Save the course settings", "រក្សាទុកការកំណត់វគ្គ"),
    "cs_saved": ("Saved: trainees follow the new settings from their next click.",
                 "បានរក្សាទុក៖ សិក្ខាកាមអនុវត្តការកំណត់ថ្មីចាប់ពីការចុចបន្ទាប់របស់ពួកគេ។"),
    "cs_invalid": ("Not saved: {error}", "មិនបានរក្សាទុកទេ៖ {error}"),
    "cs_forms": ("Test forms", "ទម្រង់តេស្ត"),
    "cs_forms_frozen": ("The pre-test ({pre} questions) and the post-test ({post} questions) are drawn and stay the "
                        "same for every trainee. `docexam workshop forms {code} --json` lists them with their answers.",
                        "តេស្តមុនវគ្គ ({pre} សំណួរ) និងតេស្តក្រោយវគ្គ ({post} សំណួរ) ត្រូវបានជ្រើសរួចហើយ "
                        "ហើយនៅដដែលសម្រាប់សិក្ខាកាមទាំងអស់។ `docexam workshop forms {code} --json` "
                        "បង្ហាញវាជាមួយចម្លើយ។"),
    "cs_forms_not_yet": ("The tests are drawn when a trainee first opens one; from then on they stay the same for "
                         "everyone.",
                         "តេស្តត្រូវបានជ្រើសនៅពេលសិក្ខាកាមបើកវាជាលើកដំបូង ហើយចាប់ពីពេលនោះ វានៅដដែលសម្រាប់អ្នកទាំងអស់។"),
    # --- trainees: records, merges, missed questions
    "tr_title": ("Trainees", "សិក្ខាកាម"),
    "tr_intro": ("Every officer's record: merge two records of one officer, and review the questions a trainee "
                 "missed, with the documents.",
                 "កំណត់ត្រារបស់មន្ត្រីម្នាក់ៗ៖ បញ្ចូលកំណត់ត្រាពីររបស់មន្ត្រីតែម្នាក់ "
                 "ហើយពិនិត្យសំណួរដែលសិក្ខាកាមឆ្លើយខុស ជាមួយឯកសារ។"),
    "tr_tab_review": ("Missed questions", "សំណួរដែលឆ្លើយខុស"),
    "tr_tab_merge": ("Merge two records", "បញ្ចូលកំណត់ត្រាពីរ"),
    "tr_none": ("Nobody has registered yet.", "មិនទាន់មាននរណាចុះឈ្មោះនៅឡើយទេ។"),
    "tr_duplicates": ("Possibly the same officer (same name)", "ប្រហែលជាមន្ត្រីតែម្នាក់ (ឈ្មោះដូចគ្នា)"),
    "tr_compare_pair": ("Compare: {a} / {b}", "ប្រៀបធៀប៖ {a} / {b}"),
    "tr_keep": ("Record to keep", "កំណត់ត្រាដែលត្រូវរក្សាទុក"),
    "tr_alias": ("Record to merge into it", "កំណត់ត្រាដែលត្រូវបញ្ចូលទៅក្នុងវា"),
    "tr_pick_two": ("Pick two different records.", "សូមជ្រើសរើសកំណត់ត្រាពីរផ្សេងគ្នា។"),
    "tr_confirm": ("I have checked: these two records are the same officer.",
                   "ខ្ញុំបានពិនិត្យហើយ៖ កំណត់ត្រាទាំងពីរនេះជាមន្ត្រីតែម្នាក់។"),
    "tr_note": ("Why (kept with the merge)", "ហេតុអ្វី (រក្សាទុកជាមួយការបញ្ចូល)"),
    "tr_merge_button": ("Merge the two records", "បញ្ចូលកំណត់ត្រាទាំងពីរ"),
    "tr_merged": ("Merged: {alias} now counts as {target}. Every answer is kept; the merge can be undone below.",
                  "បានបញ្ចូល៖ {alias} ឥឡូវរាប់ជា {target}។ ចម្លើយទាំងអស់ត្រូវបានរក្សាទុក "
                  "ការបញ្ចូលអាចលុបចោលបាននៅខាងក្រោម។"),
    "tr_merge_error": ("Not merged: {error}", "មិនបានបញ្ចូលទេ៖ {error}"),
    "tr_merges": ("Merges", "ការបញ្ចូល"),
    "tr_merges_none": ("No merge yet.", "មិនទាន់មានការបញ្ចូលនៅឡើយទេ។"),
    "tr_merge_line": ("{alias} → {target}, {when}", "{alias} → {target}, {when}"),
    "tr_merge_undone": ("undone {when}", "បានលុបចោល {when}"),
    "tr_undo": ("Undo", "លុបចោល"),
    "tr_undone": ("Undone: the two records count apart again.", "បានលុបចោល៖ កំណត់ត្រាទាំងពីររាប់ដាច់ពីគ្នាវិញ។"),
    "row_name": ("Name", "ឈ្មោះ"),
    "row_department": ("Department", "នាយកដ្ឋាន"),
    "row_province": ("Province", "ខេត្ត"),
    "row_rank": ("Rank", "ឋានន្តរស័ក្តិ"),
    "row_registered": ("Registered", "បានចុះឈ្មោះ"),
    "row_workshops": ("Workshops", "វគ្គ"),
    "row_answers": ("Answers", "ចម្លើយ"),
    "row_last": ("Last answer", "ចម្លើយចុងក្រោយ"),
    "row_pin": ("PIN chosen", "បានជ្រើសលេខសម្ងាត់"),
    "yes": ("yes", "បាទ/ចាស"),
    "no": ("no", "ទេ"),
    "tr_trainee": ("Trainee", "សិក្ខាកាម"),
    "tr_form": ("Answers from", "ចម្លើយពី"),
    "tr_missed_count": ("{missed} of {answered} first answers missed or partly right.",
                        "{missed} នៃចម្លើយដំបូង {answered} ខុស ឬត្រូវមួយផ្នែក។"),
    "tr_missed_none": ("Nothing missed here.", "គ្មានអ្វីឆ្លើយខុសនៅទីនេះទេ។"),
    "tr_item_gone": ("This question is no longer in the bank (its document was deleted, or a lesson changed). "
                     "The answer given: {answer}",
                     "សំណួរនេះលែងមាននៅក្នុងធនាគារសំណួរទៀតហើយ (ឯកសាររបស់វាត្រូវបានលុប ឬមេរៀនបានផ្លាស់ប្តូរ)។ "
                     "ចម្លើយដែលបានផ្តល់៖ {answer}"),
    "tr_item_retired": ("Its document is retired: no new quiz or test asks it.",
                        "ឯកសាររបស់វាត្រូវបានដកចេញ៖ គ្មានសំណួរ ឬតេស្តថ្មីណាសួរវាទេ។"),
    # --- item statistics
    "is_title": ("Item statistics", "ស្ថិតិសំណួរ"),
    "is_intro": ("How each question performs, from the first answers of the tests: the share answered right, the "
                 "difficulty (Rasch, in logits: higher is harder), the discrimination (how well it separates strong "
                 "trainees from weak ones) and the wrong answer chosen most. Flagged questions are worth a look: "
                 "correct or retire their document in the Library.",
                 "របៀបដែលសំណួរនីមួយៗដំណើរការ ពីចម្លើយដំបូងនៃតេស្ត៖ ភាគរយឆ្លើយត្រូវ ភាពលំបាក (Rasch គិតជា logit៖ "
                 "ខ្ពស់ជាងគឺពិបាកជាង) ភាពបែងចែក (វាបែងចែកសិក្ខាកាមខ្លាំងពីខ្សោយបានល្អប៉ុណ្ណា) "
                 "និងចម្លើយខុសដែលត្រូវបានជ្រើសច្រើនបំផុត។ សំណួរដែលមានសញ្ញាសម្គាល់ គួរតែពិនិត្យ៖ "
                 "កែ ឬដកឯកសាររបស់វាចេញនៅក្នុងបណ្ណាល័យ។"),
    "is_forms": ("Answers counted", "ចម្លើយដែលរាប់"),
    "is_none": ("No answers recorded yet for these choices.", "មិនទាន់មានចម្លើយត្រូវបានកត់ត្រាសម្រាប់ជម្រើសទាំងនេះទេ។"),
    "is_flagged_only": ("Only the questions to look at", "តែសំណួរដែលត្រូវពិនិត្យ"),
    "is_flag_note": ("Flags need at least {n} answers per question.", "សញ្ញាសម្គាល់ត្រូវការយ៉ាងតិច {n} ចម្លើយក្នុងមួយសំណួរ។"),
    "col_question": ("Question", "សំណួរ"),
    "col_type": ("Type", "ប្រភេទ"),
    "col_document": ("Document", "ឯកសារ"),
    "col_n": ("Answers", "ចម្លើយ"),
    "col_right": ("Right %", "ត្រូវ %"),
    "col_difficulty": ("Difficulty (logits)", "ភាពលំបាក (logit)"),
    "col_discrimination": ("Discrimination", "ភាពបែងចែក"),
    "col_common_wrong": ("Most-chosen wrong answer", "ចម្លើយខុសដែលត្រូវបានជ្រើសច្រើនបំផុត"),
    "col_flags": ("Look at", "ត្រូវពិនិត្យ"),
    "flag_negative-discrimination": ("strong trainees miss it: check the key and the picture",
                                     "សិក្ខាកាមខ្លាំងឆ្លើយខុស៖ ពិនិត្យចម្លើយ និងរូបភាព"),
    "flag_distractor": ("a wrong answer is chosen more than the right one",
                        "ចម្លើយខុសមួយត្រូវបានជ្រើសច្រើនជាងចម្លើយត្រូវ"),
    "flag_too-hard": ("very hard", "ពិបាកខ្លាំង"),
    "flag_weak-discrimination": ("barely separates strong trainees from weak ones",
                                 "ស្ទើរតែមិនបែងចែកសិក្ខាកាមខ្លាំងពីខ្សោយ"),
    "flag_too-easy": ("almost everyone answers it right", "ស្ទើរតែគ្រប់គ្នាឆ្លើយត្រូវ"),
    "is_reliability": ("Reliability of this workshop's tests (KR-20)", "ភាពជឿជាក់នៃតេស្តរបស់វគ្គនេះ (KR-20)"),
    "is_kr20_line": ("{form}: {value} over {n} trainees who answered every question",
                     "{form}៖ {value} លើសិក្ខាកាម {n} នាក់ដែលបានឆ្លើយគ្រប់សំណួរ"),
    "is_kr20_wait": ("{form}: reported once {min} trainees have answered every question ({n} so far)",
                     "{form}៖ នឹងរាយការណ៍ នៅពេលសិក្ខាកាម {min} នាក់បានឆ្លើយគ្រប់សំណួរ ({n} រហូតមកដល់ពេលនេះ)"),
    # --- library: pictures and the trainer's own specimens
    "col_picture": ("Picture", "រូបភាព"),
    "col_status": ("Status", "ស្ថានភាព"),
    "status_retired": ("retired", "បានដកចេញ"),
    "status_in_use": ("in use", "កំពុងប្រើ"),
    "lib_manage": ("Retire, edit or delete", "ដកចេញ កែប្រែ ឬលុប"),
    "lib_retired": ("Retired: no new quiz or test asks it. {note}", "បានដកចេញ៖ គ្មានសំណួរ ឬតេស្តថ្មីណាសួរវាទេ។ {note}"),
    "lib_retire_note": ("Why (the other trainers see it)", "ហេតុអ្វី (គ្រូបង្គោលផ្សេងទៀតឃើញវា)"),
    "lib_retire": ("Retire it", "ដកវាចេញ"),
    "lib_restore": ("Put it back in use", "ដាក់វាឱ្យប្រើវិញ"),
    "lib_retire_help": ("A retired document is asked in no new quiz or test; answers already given keep it in "
                        "their history.",
                        "ឯកសារដែលបានដកចេញ មិនត្រូវបានសួរក្នុងសំណួរ ឬតេស្តថ្មីណាទេ ចម្លើយដែលបានផ្តល់រួច "
                        "នៅតែរក្សាវាក្នុងប្រវត្តិរបស់ពួកគេ។"),
    "lib_edit": ("Edit what it says", "កែប្រែអ្វីដែលវានិយាយ"),
    "lib_anomaly": ("Trace {n}", "ស្លាកស្នាម {n}"),
    "lib_zone": ("Zone", "តំបន់"),
    "lib_technique": ("Technique", "បច្ចេកទេស"),
    "lib_note": ("What an examiner should look for", "អ្វីដែលអ្នកពិនិត្យគួររកមើល"),
    "lib_save_edit": ("Save the changes", "រក្សាទុកការផ្លាស់ប្តូរ"),
    "lib_edited": ("Saved: quizzes use the new text from now on.", "បានរក្សាទុក៖ សំណួរប្រើអត្ថបទថ្មីចាប់ពីពេលនេះ។"),
    "lib_error": ("Not done: {error}", "មិនបានធ្វើទេ៖ {error}"),
    "lib_delete": ("Delete it for good", "លុបវាចោលជាស្ថាពរ"),
    "lib_delete_confirm": ("I understand its files are removed for good", "ខ្ញុំយល់ថាឯកសាររបស់វានឹងត្រូវលុបជាស្ថាពរ"),
    "lib_deleted": ("Deleted {name}.", "បានលុប {name}។"),
    "lib_answered": ("{n} answers were given about it: it can be retired, not deleted (an answer keeps its "
                     "document).",
                     "មានចម្លើយ {n} ត្រូវបានផ្តល់អំពីវា៖ វាអាចដកចេញបាន ប៉ុន្តែមិនអាចលុបបានទេ "
                     "(ចម្លើយរក្សាឯកសាររបស់វា)។"),
    "lib_own_only": ("Only the trainers' own specimens (from the studio) can be edited or deleted; any can be "
                     "retired.",
                     "មានតែឯកសារគំរូផ្ទាល់របស់គ្រូបង្គោល (ពីស្ទូឌីយោ) ប៉ុណ្ណោះដែលអាចកែប្រែ ឬលុបបាន "
                     "ឯកសារណាមួយក៏អាចដកចេញបាន។"),
}
