"""Every string of the trainee pages, in English and Khmer.

Pages call :func:`t` with a key; the language is the session's choice
(sidebar). A missing key is a bug that the tests catch
(``tests/test_ui_i18n.py`` checks every ``t("...")`` in ``docexam/ui`` and
``app.py`` has both languages). The vocabulary of items (options, prompts,
techniques) comes with the items themselves (``label`` / ``label_km``).
Trainer pages are in English: trainers run the workshop in English.
"""

from __future__ import annotations

from .strings_course import COURSE_STRINGS

LANGUAGES = {"en": "English", "km": "ខ្មែរ"}

STRINGS: dict[str, tuple[str, str]] = {
    # --- app frame
    "app_title": ("docexam: spotting fraudulent travel documents", "docexam៖ ការរកឃើញឯកសារធ្វើដំណើរក្លែងក្លាយ"),
    "language": ("Language", "ភាសា"),
    "sec_training": ("Training", "ការបណ្តុះបណ្តាល"),
    "sec_tools": ("Tools", "ឧបករណ៍"),
    "sec_trainer": ("Trainer", "គ្រូបង្គោល"),
    "nav_sign_in": ("Sign in", "ចូលប្រើ"),
    "nav_home": ("Home", "ទំព័រដើម"),
    "nav_lessons": ("Lessons", "មេរៀន"),
    "nav_practice": ("Practice", "ហាត់ការ"),
    "nav_refresher": ("Refresher", "រំលឹកមេរៀន"),
    "nav_pre_test": ("Pre-test", "តេស្តមុនវគ្គ"),
    "nav_post_test": ("Post-test", "តេស្តក្រោយវគ្គ"),
    "nav_survey": ("Survey", "ការស្ទង់មតិ"),
    "nav_results": ("My results", "លទ្ធផលរបស់ខ្ញុំ"),
    "nav_desk": ("Examination desk", "តុពិនិត្យឯកសារ"),
    "nav_trainer": ("Trainer sign in", "គ្រូបង្គោលចូលប្រើ"),
    "sign_out": ("Sign out", "ចាកចេញ"),
    "signed_in_as": ("Signed in: {name}", "បានចូលជា៖ {name}"),
    "error": ("{error}", "{error}"),
    "need_sign_in": ("Please sign in first.", "សូមចូលប្រើជាមុនសិន។"),
    "library_error": ("The specimen library cannot be loaded: {error}", "មិនអាចផ្ទុកបណ្ណាល័យឯកសារគំរូបានទេ៖ {error}"),
    # --- sign in
    "signin_title": ("Sign in", "ចូលប្រើ"),
    "signin_intro": ("Type your details as you gave them to the trainer. The first time, choose a PIN of "
                     "4 to 12 digits and remember it: it keeps anyone else from answering in your name.",
                     "សូមវាយព័ត៌មានរបស់អ្នកដូចដែលបានផ្តល់ឱ្យគ្រូបង្គោល។ លើកដំបូង សូមជ្រើសរើសលេខសម្ងាត់ ៤ ដល់ ១២ ខ្ទង់ "
                     "ហើយចងចាំវា៖ វាការពារមិនឱ្យអ្នកផ្សេងឆ្លើយជំនួសអ្នក។"),
    "name": ("Full name", "ឈ្មោះពេញ"),
    "department": ("Department or unit", "នាយកដ្ឋាន ឬអង្គភាព"),
    "province": ("Province", "ខេត្ត"),
    "workshop_code": ("Workshop code (from the trainer; empty for self-study)",
                      "លេខកូដវគ្គ (ពីគ្រូបង្គោល ទុកទទេសម្រាប់ការសិក្សាដោយខ្លួនឯង)"),
    "pin": ("PIN (4 to 12 digits)", "លេខសម្ងាត់ (៤ ដល់ ១២ ខ្ទង់)"),
    "signin_button": ("Sign in", "ចូល"),
    "signin_new": ("Welcome, {name}. You are registered; remember your PIN.",
                   "សូមស្វាគមន៍ {name}។ អ្នកបានចុះឈ្មោះរួចហើយ សូមចងចាំលេខសម្ងាត់របស់អ្នក។"),
    "signin_error": ("Could not sign in: {error}", "មិនអាចចូលបានទេ៖ {error}"),
    "missing_fields": ("Fill in your name, department, province and PIN.",
                       "សូមបំពេញឈ្មោះ នាយកដ្ឋាន ខេត្ត និងលេខសម្ងាត់។"),
    # --- home
    "home_title": ("Welcome, {name}", "សូមស្វាគមន៍ {name}"),
    "home_workshop": ("Workshop {code}: {title}, {place}", "វគ្គ {code}៖ {title}, {place}"),
    "home_selfstudy": ("Self-study (no workshop)", "ការសិក្សាដោយខ្លួនឯង (គ្មានវគ្គ)"),
    "next_title": ("What to do next", "អ្វីដែលត្រូវធ្វើបន្ទាប់"),
    "step_pre-test": ("Take the pre-test: it shows what you know before the lessons.",
                      "ធ្វើតេស្តមុនវគ្គ៖ វាបង្ហាញអ្វីដែលអ្នកដឹងមុនពេលរៀន។"),
    "step_lessons": ("Study the lessons and practise each one.", "សិក្សាមេរៀន ហើយហាត់ការមេរៀននីមួយៗ។"),
    "step_refresher": ("{n} questions are due for review.", "មានសំណួរ {n} ដែលត្រូវរំលឹកឡើងវិញ។"),
    "step_post-test": ("Take the post-test once you have studied every lesson.",
                       "ធ្វើតេស្តក្រោយវគ្គ នៅពេលអ្នកបានសិក្សាមេរៀនទាំងអស់។"),
    "step_survey": ("Tell the trainers what you thought of the training.",
                    "ប្រាប់គ្រូបង្គោលពីមតិរបស់អ្នកអំពីវគ្គបណ្តុះបណ្តាល។"),
    "step_results": ("See your results and print your certificate.",
                     "មើលលទ្ធផលរបស់អ្នក ហើយបោះពុម្ពវិញ្ញាបនបត្រ។"),
    "go": ("Go", "ទៅ"),
    "progress_title": ("Progress per topic", "វឌ្ឍនភាពតាមប្រធានបទ"),
    "progress_help": ("How likely you are to answer this topic's questions right today, from your practice.",
                      "លទ្ធភាពដែលអ្នកអាចឆ្លើយត្រូវសំណួរនៃប្រធានបទនេះថ្ងៃនេះ ផ្អែកលើការហាត់ការរបស់អ្នក។"),
    "answered_n": ("{n} answers", "ចម្លើយ {n}"),
    # --- lessons
    "lessons_title": ("Lessons", "មេរៀន"),
    "choose_lesson": ("Lesson", "មេរៀន"),
    "objectives": ("In this lesson you learn to:", "នៅក្នុងមេរៀននេះ អ្នករៀន៖"),
    "figure_missing": ("No specimen in the library shows this yet.", "មិនទាន់មានឯកសារគំរូណាបង្ហាញចំណុចនេះនៅឡើយទេ។"),
    "panel_genuine": ("Genuine", "ពិត"),
    "panel_forged": ("Forged", "ក្លែងក្លាយ"),
    "panel_reference": ("Genuine template (blank reference)", "គំរូពិត (ឯកសារយោងទទេ)"),
    "light": ("Light", "ពន្លឺ"),
    "light_visible": ("White light", "ពន្លឺធម្មតា"),
    "light_uv": ("UV", "ពន្លឺ UV"),
    "light_ir": ("IR", "ពន្លឺ IR"),
    "loupe": ("Loupe (zoom)", "កែវពង្រីក"),
    "zoom_in": ("Zoom in", "ពង្រីក"),
    "zoom_out": ("Zoom out", "បង្រួម"),
    "side_front": ("Front", "ផ្នែកខាងមុខ"),
    "side_back": ("Back", "ផ្នែកខាងក្រោយ"),
    "document_alt": ("The document to examine", "ឯកសារដែលត្រូវពិនិត្យ"),
    "zoom": ("Zoom", "ពង្រីក"),
    "across": ("Left ↔ right", "ឆ្វេង ↔ ស្ដាំ"),
    "down": ("Top ↕ bottom", "លើ ↕ ក្រោម"),
    "show_overlay": ("Show where the forgery is", "បង្ហាញកន្លែងក្លែងបន្លំ"),
    "practise_lesson": ("Practise this lesson", "ហាត់ការមេរៀននេះ"),
    # --- quiz
    "question_n": ("Question {n} of {total}", "សំណួរទី {n} នៃ {total}"),
    "score_so_far": ("Score so far", "ពិន្ទុរហូតមកដល់ពេលនេះ"),
    "answer": ("Your answer", "ចម្លើយរបស់អ្នក"),
    "check": ("Check my answer", "ពិនិត្យចម្លើយ"),
    "submit": ("Submit answer", "ដាក់ស្នើចម្លើយ"),
    "next": ("Next question", "សំណួរបន្ទាប់"),
    "locate_mode": ("How to answer", "របៀបឆ្លើយ"),
    "mode_point": ("Tap a point", "ចុចចំណុចមួយ"),
    "mode_box": ("Drag a box", "អូសប្រអប់"),
    "locate_hint": ("Tap or click on the image where you see the forgery (+ zooms in).",
                    "ប៉ះ ឬចុចលើរូបភាព ត្រង់កន្លែងដែលអ្នកឃើញការក្លែងបន្លំ (+ ដើម្បីពង្រីក)។"),
    "locate_box_hint": ("Press on one corner of the forged area, drag to the opposite corner and release.",
                        "ចុចលើជ្រុងមួយនៃតំបន់ក្លែងបន្លំ អូសទៅជ្រុងទល់មុខ ហើយលែង។"),
    "locate_chosen": ("Your mark is drawn in blue. Click again to move it.",
                      "សញ្ញារបស់អ្នកត្រូវបានគូសជាពណ៌ខៀវ។ ចុចម្តងទៀតដើម្បីផ្លាស់ទី។"),
    "locate_none": ("Mark the image first.", "សូមសម្គាល់លើរូបភាពជាមុនសិន។"),
    "choose_option": ("Choose one answer.", "សូមជ្រើសរើសចម្លើយមួយ។"),
    "correct": ("Correct.", "ត្រឹមត្រូវ។"),
    "partly": ("Partly correct: {score} of 1.", "ត្រឹមត្រូវមួយផ្នែក៖ {score} នៃ 1។"),
    "wrong": ("Not quite.", "មិនទាន់ត្រឹមត្រូវទេ។"),
    "the_answer": ("Answer: {label}", "ចម្លើយ៖ {label}"),
    "what_there": ("What was there", "អ្វីដែលមាន"),
    "why_matters": ("Why it matters", "ហេតុអ្វីវាសំខាន់"),
    "heatmap_caption": ("What the examination machine sees: warm colours where the document departs from "
                        "the genuine template; numbered boxes are its findings.",
                        "អ្វីដែលម៉ាស៊ីនពិនិត្យឃើញ៖ ពណ៌ក្តៅនៅកន្លែងដែលឯកសារខុសពីគំរូពិត "
                        "ប្រអប់មានលេខជាការរកឃើញរបស់វា។"),
    "heatmap_none": ("The examination machine could not examine this image: {reason}",
                     "ម៉ាស៊ីនពិនិត្យមិនអាចពិនិត្យរូបភាពនេះបានទេ៖ {reason}"),
    "heatmap_running": ("The examination machine is looking at this document…", "ម៉ាស៊ីនពិនិត្យកំពុងមើលឯកសារនេះ…"),
    "left": ("Left", "ខាងឆ្វេង"),
    "right": ("Right", "ខាងស្ដាំ"),
    "mrz_lines": ("Machine-readable zone (MRZ)", "តំបន់អានដោយម៉ាស៊ីន (MRZ)"),
    "printed_data": ("Printed on the data page", "ទិន្នន័យបោះពុម្ពលើទំព័រ"),
    "mrz_marked": ("The wrong character is marked with ^ .", "តួអក្សរខុសត្រូវបានសម្គាល់ដោយ ^ ។"),
    "quiz_done": ("Finished: {score} on {n} questions.", "បានបញ្ចប់៖ {score} លើសំណួរ {n}។"),
    "quiz_again": ("Start again with new questions", "ចាប់ផ្តើមម្តងទៀតជាមួយសំណួរថ្មី"),
    "no_items": ("No questions are available here yet: the library has no matching specimens.",
                 "មិនទាន់មានសំណួរនៅទីនេះទេ៖ បណ្ណាល័យមិនមានឯកសារគំរូដែលត្រូវគ្នា។"),
    "recorded": ("Answer recorded.", "ចម្លើយត្រូវបានកត់ត្រា។"),
    "practice_title": ("Practice", "ហាត់ការ"),
    "practice_intro": ("Questions from one lesson, with the answer explained after each one.",
                       "សំណួរពីមេរៀនមួយ ដោយមានការពន្យល់ចម្លើយបន្ទាប់ពីសំណួរនីមួយៗ។"),
    "refresher_title": ("Refresher", "រំលឹកមេរៀន"),
    "refresher_intro": ("Questions you answered before, coming back when you are about to forget them.",
                        "សំណួរដែលអ្នកធ្លាប់ឆ្លើយ ត្រឡប់មកវិញនៅពេលអ្នកជិតភ្លេច។"),
    "refresher_none": ("Nothing is due for review now. Come back later, or practise a lesson.",
                       "មិនមានអ្វីត្រូវរំលឹកឥឡូវនេះទេ។ សូមត្រឡប់មកវិញពេលក្រោយ ឬហាត់ការមេរៀនមួយ។"),
    "pre_title": ("Pre-test", "តេស្តមុនវគ្គ"),
    "post_title": ("Post-test", "តេស្តក្រោយវគ្គ"),
    "test_intro_pre": ("The pre-test measures what you know before the lessons. The answers are not shown "
                       "now; answer as well as you can.",
                       "តេស្តមុនវគ្គវាស់វែងអ្វីដែលអ្នកដឹងមុនពេលរៀន។ ចម្លើយមិនត្រូវបានបង្ហាញឥឡូវនេះទេ "
                       "សូមឆ្លើយឱ្យបានល្អតាមដែលអាចធ្វើបាន។"),
    "test_intro_post": ("The post-test measures what you learnt. The answers are not shown now; your "
                        "results page compares it with the pre-test.",
                        "តេស្តក្រោយវគ្គវាស់វែងអ្វីដែលអ្នកបានរៀន។ ចម្លើយមិនត្រូវបានបង្ហាញឥឡូវនេះទេ "
                        "ទំព័រលទ្ធផលរបស់អ្នកប្រៀបធៀបវាជាមួយតេស្តមុនវគ្គ។"),
    "test_done": ("You have answered every question of this test. Thank you.",
                  "អ្នកបានឆ្លើយសំណួរទាំងអស់នៃតេស្តនេះហើយ។ សូមអរគុណ។"),
    "post_locked": ("Take the pre-test first.", "សូមធ្វើតេស្តមុនវគ្គជាមុនសិន។"),
    "test_progress": ("{done} of {total} answered", "បានឆ្លើយ {done} នៃ {total}"),
    # --- course order
    "step_not_in_course": ("This part is not in your workshop's course.", "ផ្នែកនេះមិនមាននៅក្នុងវគ្គរបស់អ្នកទេ។"),
    "opens_after": ("This page opens once you have finished the {step}.",
                    "ទំព័រនេះនឹងបើក នៅពេលអ្នកបញ្ចប់{step}។"),
    "opens_at": ("It opens on {when}.", "វានឹងបើកនៅ {when}។"),
    "stepname_pre-test": ("pre-test", "តេស្តមុនវគ្គ"),
    "stepname_lessons": ("lessons and practice", "មេរៀន និងការហាត់ការ"),
    "stepname_post-test": ("post-test", "តេស្តក្រោយវគ្គ"),
    "stepname_survey": ("survey", "ការស្ទង់មតិ"),
    "you_answered": ("You answered: {given}.", "អ្នកបានឆ្លើយ៖ {given}។"),
    "you_marked": ("You marked: {given}.", "អ្នកបានសម្គាល់៖ {given}។"),
    "no_marks_genuine": ("This document is genuine: nothing is marked on it.",
                         "ឯកសារនេះពិត៖ គ្មានអ្វីត្រូវបានសម្គាល់លើវាទេ។"),
    "overlay_caption_red": ("Red: the forged area.", "ពណ៌ក្រហម៖ តំបន់ក្លែងបន្លំ។"),
    "overlay_caption_mark": ("Red: the forged area. Blue: your mark.", "ពណ៌ក្រហម៖ តំបន់ក្លែងបន្លំ។ ពណ៌ខៀវ៖ សញ្ញារបស់អ្នក។"),
    "certificate_missing": ("Not yet: {missing}.", "មិនទាន់បាន៖ {missing}។"),
    "review_title": ("Review my answers", "ពិនិត្យចម្លើយរបស់ខ្ញុំ"),
    "review_none": ("Nothing to review yet: finish a test first.", "មិនទាន់មានអ្វីត្រូវពិនិត្យទេ៖ សូមបញ្ចប់តេស្តជាមុនសិន។"),
    "review_wrong_only": ("Only the questions I missed", "តែសំណួរដែលខ្ញុំឆ្លើយខុស"),
    "detection_line": ("Genuine or forged: {hits} of {forged} forgeries caught, {fa} of {genuine} genuine "
                       "documents called forged (d′ {d}).",
                       "ពិត ឬក្លែងក្លាយ៖ ចាប់បាន {hits} នៃ {forged} ឯកសារក្លែងក្លាយ ហៅឯកសារពិត {fa} នៃ {genuine} "
                       "ថាក្លែងក្លាយ (d′ {d})។"),
    # --- survey
    "survey_title": ("Survey", "ការស្ទង់មតិ"),
    "survey_intro": ("Your answers help the trainers improve the workshop. They are reported without names.",
                     "ចម្លើយរបស់អ្នកជួយគ្រូបង្គោលកែលម្អវគ្គ។ វាត្រូវបានរាយការណ៍ដោយគ្មានឈ្មោះ។"),
    "survey_send": ("Send", "ផ្ញើ"),
    "survey_thanks": ("Thank you for your feedback.", "សូមអរគុណចំពោះមតិរបស់អ្នក។"),
    "survey_needs_workshop": ("The survey belongs to a workshop: sign in with the workshop code.",
                              "ការស្ទង់មតិជាផ្នែកនៃវគ្គ៖ សូមចូលប្រើជាមួយលេខកូដវគ្គ។"),
    "survey_done": ("You have answered the survey. Thank you.", "អ្នកបានឆ្លើយការស្ទង់មតិរួចហើយ។ សូមអរគុណ។"),
    "survey_after_post": ("Answer the survey after the post-test.", "សូមឆ្លើយការស្ទង់មតិបន្ទាប់ពីតេស្តក្រោយវគ្គ។"),
    # --- results
    "results_title": ("My results", "លទ្ធផលរបស់ខ្ញុំ"),
    "results_intro": ("Your pre-test and post-test scores per topic: the difference is what you gained.",
                      "ពិន្ទុតេស្តមុន និងក្រោយវគ្គរបស់អ្នកតាមប្រធានបទ៖ ភាពខុសគ្នាគឺជាអ្វីដែលអ្នកទទួលបាន។"),
    "results_none": ("Take the pre-test and the post-test to see your gain per topic.",
                     "សូមធ្វើតេស្តមុន និងក្រោយវគ្គ ដើម្បីមើលលទ្ធផលតាមប្រធានបទ។"),
    "col_topic": ("Topic", "ប្រធានបទ"),
    "col_pre": ("Pre-test %", "តេស្តមុនវគ្គ %"),
    "col_post": ("Post-test %", "តេស្តក្រោយវគ្គ %"),
    "col_gain": ("Gain (points)", "ការកើនឡើង (ពិន្ទុ)"),
    "overall_line": ("Pre-test {pre}, post-test {post}.", "តេស្តមុនវគ្គ {pre} តេស្តក្រោយវគ្គ {post}។"),
    "certificate": ("Certificate of completion", "វិញ្ញាបនបត្របញ្ចប់វគ្គ"),
    "download_certificate": ("Download the certificate (open it and print it from the browser)",
                             "ទាញយកវិញ្ញាបនបត្រ (បើកវា ហើយបោះពុម្ពពីកម្មវិធីរុករក)"),
    "certificate_locked": ("The certificate is available once you have finished the post-test.",
                           "វិញ្ញាបនបត្រអាចទទួលបាន នៅពេលអ្នកបញ្ចប់តេស្តក្រោយវគ្គ។"),
    # --- examination desk
    "desk_title": ("Examination desk", "តុពិនិត្យឯកសារ"),
    "desk_intro": ("Upload or photograph a document. The app aligns it with the genuine template and "
                   "checks the paper, the printing and the personal data. It is an aid: the officer decides.",
                   "ផ្ទុកឡើង ឬថតរូបឯកសារ។ កម្មវិធីតម្រឹមវាជាមួយគំរូពិត ហើយពិនិត្យក្រដាស ការបោះពុម្ព "
                   "និងទិន្នន័យផ្ទាល់ខ្លួន។ វាគ្រាន់តែជាជំនួយ៖ មន្ត្រីជាអ្នកសម្រេច។"),
    "upload_visible": ("Document image in white light (PNG, JPEG or TIFF)",
                       "រូបភាពឯកសារក្រោមពន្លឺធម្មតា (PNG, JPEG ឬ TIFF)"),
    "take_photo": ("Or take a photo with this device", "ឬថតរូបដោយឧបករណ៍នេះ"),
    "use_camera": ("Use the camera", "ប្រើកាមេរ៉ា"),
    "upload_uv": ("Same document under UV light (optional)", "ឯកសារដដែលក្រោមពន្លឺ UV (ស្រេចចិត្ត)"),
    "upload_ir": ("Same document under IR light (optional)", "ឯកសារដដែលក្រោមពន្លឺ IR (ស្រេចចិត្ត)"),
    "template": ("Document type", "ប្រភេទឯកសារ"),
    "suggest": ("Let the app suggest", "ឱ្យកម្មវិធីណែនាំ"),
    "examine_button": ("Examine", "ពិនិត្យ"),
    "examining": ("Examining the document…", "កំពុងពិនិត្យឯកសារ…"),
    "suggesting": ("Trying each document type…", "កំពុងសាកល្បងប្រភេទឯកសារនីមួយៗ…"),
    "verdict_consistent": ("Consistent: nothing suspicious found.", "ស៊ីសង្វាក់៖ មិនឃើញអ្វីគួរឱ្យសង្ស័យទេ។"),
    "verdict_suspect": ("Suspect. Findings: {n}.", "គួរឱ្យសង្ស័យ៖ ការរកឃើញ {n}។"),
    "verdict_inconclusive": ("Inconclusive: {reason}", "មិនអាចសន្និដ្ឋានបាន៖ {reason}"),
    "score": ("Suspicion score (0 to 1)", "ពិន្ទុសង្ស័យ (0 ដល់ 1)"),
    "findings": ("Findings", "ការរកឃើញ"),
    "no_findings": ("No findings.", "គ្មានការរកឃើញ។"),
    "heatmap": ("Heatmap", "ផែនទីកម្តៅ"),
    "aligned": ("This document, aligned", "ឯកសារនេះ បន្ទាប់ពីតម្រឹម"),
    "reference": ("Genuine reference", "ឯកសារយោងពិត"),
    "suggested": ("Suggested document type: {name}", "ប្រភេទឯកសារដែលបានណែនាំ៖ {name}"),
    "suggest_none": ("No document type matches this image well; choose one.",
                     "គ្មានប្រភេទឯកសារណាត្រូវនឹងរូបភាពនេះទេ សូមជ្រើសរើសមួយ។"),
    "upload_error": ("This file cannot be used: {error}", "មិនអាចប្រើឯកសារនេះបានទេ៖ {error}"),
    "upload_first": ("Upload an image or take a photo first.", "សូមផ្ទុករូបភាព ឬថតរូបជាមុនសិន។"),
    "col_zone": ("Zone", "តំបន់"),
    "col_family": ("Family", "ប្រភេទ"),
    "col_technique": ("Technique", "បច្ចេកទេស"),
    "col_score": ("Score", "ពិន្ទុ"),
    "col_message": ("What the machine saw", "អ្វីដែលម៉ាស៊ីនឃើញ"),
    "registration": ("Alignment error: {err} px", "កំហុសតម្រឹម៖ {err} ភីកសែល"),
    "timing": ("Examined in {s:.1f} s", "បានពិនិត្យក្នុងរយៈពេល {s:.1f} វិនាទី"),
    # --- checkpoint drill
    "nav_drill": ("Checkpoint drill", "លំហាត់ត្រួតពិនិត្យនៅច្រកព្រំដែន"),
    "nav_thresholds": ("My detection thresholds", "កម្រិតរកឃើញរបស់ខ្ញុំ"),
    "drill_title": ("Checkpoint drill", "លំហាត់ត្រួតពិនិត្យនៅច្រកព្រំដែន"),
    "drill_intro": ("Travellers queue at your counter. Examine their documents with the tools your post has "
                    "(each costs time), ask questions, and admit, refer or refuse each traveller before the shift "
                    "ends. Play alone, or as a team on several phones.",
                    "អ្នកដំណើរតម្រង់ជួរនៅបញ្ជររបស់អ្នក។ សូមពិនិត្យឯកសាររបស់ពួកគេដោយប្រើឧបករណ៍ដែលប៉ុស្តិ៍របស់អ្នកមាន "
                    "(ឧបករណ៍នីមួយៗចំណាយពេល) សួរសំណួរ ហើយអនុញ្ញាត បញ្ជូនបន្ត ឬបដិសេធអ្នកដំណើរម្នាក់ៗ មុនពេលវេនចប់។ "
                    "លេងម្នាក់ឯង ឬជាក្រុមនៅលើទូរស័ព្ទច្រើន។"),
    "drill_scenario": ("Scenario", "សេណារីយ៉ូ"),
    "drill_border": ("Border", "ព្រំដែន"),
    "drill_queue": ("Travellers", "អ្នកដំណើរ"),
    "drill_shift": ("Shift", "វេន"),
    "drill_tools_count": ("Tools", "ឧបករណ៍"),
    "drill_tools_here": ("This post has: {tools}", "ប៉ុស្តិ៍នេះមាន៖ {tools}"),
    "drill_mode": ("How do you play?", "តើអ្នកលេងដោយរបៀបណា?"),
    "drill_mode_solo": ("Alone", "ម្នាក់ឯង"),
    "drill_mode_team": ("Start a team drill", "ចាប់ផ្តើមលំហាត់ជាក្រុម"),
    "drill_mode_join": ("Join a team drill", "ចូលរួមលំហាត់ជាក្រុម"),
    "drill_code": ("Drill code", "លេខកូដលំហាត់"),
    "drill_role": ("Your role", "តួនាទីរបស់អ្នក"),
    "drill_go": ("Go", "ទៅ"),
    "drill_past": ("Your drills", "លំហាត់របស់អ្នក"),
    "drill_open": ("Open", "បើក"),
    "drill_back": ("Back to your drill: {title} ({code})", "ត្រឡប់ទៅលំហាត់របស់អ្នកវិញ៖ {title} ({code})"),
    "drill_leave": ("Leave this drill", "ចាកចេញពីលំហាត់នេះ"),
    "drill_code_tell": ("Tell your team this code: they choose \"Join a team drill\" and type it.",
                        "ប្រាប់ក្រុមរបស់អ្នកនូវលេខកូដនេះ៖ ពួកគេជ្រើសរើស \"ចូលរួមលំហាត់ជាក្រុម\" ហើយវាយវា។"),
    "drill_start": ("Start the shift", "ចាប់ផ្តើមវេន"),
    "drill_over": ("The drill is over. Here is your debrief.", "លំហាត់បានចប់ហើយ។ នេះជាការពិភាក្សាក្រោយលំហាត់របស់អ្នក។"),
    "drill_refused": ("Not done: {why}", "មិនបានធ្វើទេ៖ {why}"),
    "drill_clock": ("Shift clock", "នាឡិកាវេន"),
    "drill_waiting": ("Waiting in the queue", "កំពុងរង់ចាំក្នុងជួរ"),
    "drill_seen": ("Dealt with", "បានដោះស្រាយ"),
    "drill_call_next": ("Call the next traveller", "ហៅអ្នកដំណើរបន្ទាប់"),
    "drill_nobody_waiting": ("Nobody is waiting. The next traveller arrives in {s} s.",
                             "គ្មាននរណារង់ចាំទេ។ អ្នកដំណើរបន្ទាប់មកដល់ក្នុងរយៈពេល {s} វិនាទី។"),
    "drill_nobody_left": ("Every traveller has been called.", "អ្នកដំណើរទាំងអស់ត្រូវបានហៅហើយ។"),
    "drill_wait": ("Wait for the next traveller", "រង់ចាំអ្នកដំណើរបន្ទាប់"),
    "drill_end": ("End the drill now", "បញ្ចប់លំហាត់ឥឡូវនេះ"),
    "drill_preparing": ("The traveller is coming to the counter...", "អ្នកដំណើរកំពុងមកបញ្ជរ..."),
    "drill_not_ready": ("This traveller's documents could not be prepared.", "មិនអាចរៀបចំឯកសាររបស់អ្នកដំណើរនេះបានទេ។"),
    "drill_traveller_n": ("Traveller {n}", "អ្នកដំណើរទី {n}"),
    "drill_photo_alt": ("The traveller at the counter", "អ្នកដំណើរនៅបញ្ជរ"),
    "drill_q": ("You:", "អ្នក៖"),
    "drill_a": ("Traveller:", "អ្នកដំណើរ៖"),
    "drill_extra_missing": ("Not available in this drill.", "មិនមាននៅក្នុងលំហាត់នេះទេ។"),
    "form_surname": ("Surname", "នាមត្រកូល"),
    "form_given_names": ("Given names", "នាមខ្លួន"),
    "form_nationality": ("Nationality", "សញ្ជាតិ"),
    "form_date_of_birth": ("Date of birth", "ថ្ងៃខែឆ្នាំកំណើត"),
    "form_document_number": ("Document number", "លេខឯកសារ"),
    "form_trip": ("Bus, ferry or flight", "ឡានក្រុង សាឡាង ឬជើងហោះហើរ"),
    "form_purpose": ("Purpose of the journey", "គោលបំណងនៃការធ្វើដំណើរ"),
    "form_address": ("Address during the stay", "អាសយដ្ឋានពេលស្នាក់នៅ"),
    "form_passenger": ("Passenger", "អ្នកដំណើរ"),
    "form_carrier": ("Carrier", "ក្រុមហ៊ុនដឹកជញ្ជូន"),
    "form_seat": ("Seat", "កៅអី"),
    "drill_mrz_reader": ("The MRZ reader", "ម៉ាស៊ីនអាន MRZ"),
    "drill_mrz_unreadable": ("The reader cannot read this MRZ.", "ម៉ាស៊ីនអានមិនអាចអាន MRZ នេះបានទេ។"),
    "drill_check_composite": ("Composite check digit", "លេខផ្ទៀងផ្ទាត់រួម"),
    "drill_check_optional": ("Check digit of the optional data", "លេខផ្ទៀងផ្ទាត់នៃទិន្នន័យបន្ថែម"),
    "drill_tool_missing": ("This document has no picture in that light yet.", "ឯកសារនេះមិនទាន់មានរូបភាពក្នុងពន្លឺនោះនៅឡើយទេ។"),
    "drill_reference": ("A genuine blank of this document, for comparison", "ឯកសារគំរូពិតទទេ សម្រាប់ប្រៀបធៀប"),
    "tool_cost": ("{tool} · {s} s", "{tool} · {s} វិនាទី"),
    "drill_tools": ("Tools", "ឧបករណ៍"),
    "drill_question": ("Question", "សំណួរ"),
    "drill_decide": ("Your decision", "ការសម្រេចចិត្តរបស់អ្នក"),
    "drill_note": ("Note (for the second line and the debrief)", "កំណត់ចំណាំ (សម្រាប់ខ្សែទីពីរ និងការពិភាក្សាក្រោយលំហាត់)"),
    "drill_note_hint": ("What made you decide?", "តើអ្វីធ្វើឱ្យអ្នកសម្រេចចិត្ត?"),
    "drill_first_line_note": ("First line: {decision}. Note: {note}", "ខ្សែទីមួយ៖ {decision}។ កំណត់ចំណាំ៖ {note}"),
    "drill_first_line_used": ("The first line used: {tools}", "ខ្សែទីមួយបានប្រើ៖ {tools}"),
    "drill_no_referrals": ("No referral is waiting. New ones appear here by themselves.",
                           "គ្មានករណីបញ្ជូនបន្តកំពុងរង់ចាំទេ។ ករណីថ្មីនឹងបង្ហាញនៅទីនេះដោយខ្លួនឯង។"),
    "drill_note_from": ("Note: {note}", "កំណត់ចំណាំ៖ {note}"),
    "drill_take": ("Take this referral", "ទទួលយកករណីនេះ"),
    "drill_consult": ("Consult the {who} officer", "ពិគ្រោះជាមួយមន្ត្រី{who}"),
    "drill_consult_q": ("Your question", "សំណួររបស់អ្នក"),
    "drill_consult_send": ("Ask", "សួរ"),
    "drill_you_asked": ("You asked: {q}", "អ្នកបានសួរ៖ {q}"),
    "drill_advice_pending": ("Waiting for the answer...", "កំពុងរង់ចាំចម្លើយ..."),
    "drill_advice": ("Advice: {a}", "ដំបូន្មាន៖ {a}"),
    "drill_consulted_intro": ("You are the {who} officer: the second line asks for your advice on referred travellers.",
                              "អ្នកជាមន្ត្រី{who}៖ ខ្សែទីពីរសុំដំបូន្មានរបស់អ្នកលើអ្នកដំណើរដែលត្រូវបានបញ្ជូនបន្ត។"),
    "drill_no_consultations": ("Nobody is asking for your advice now. Requests appear here by themselves.",
                               "ឥឡូវនេះគ្មាននរណាសុំដំបូន្មានរបស់អ្នកទេ។ សំណើនឹងបង្ហាញនៅទីនេះដោយខ្លួនឯង។"),
    "drill_question_from": ("The second line asks: {q}", "ខ្សែទីពីរសួរ៖ {q}"),
    "drill_advice_label": ("Your advice", "ដំបូន្មានរបស់អ្នក"),
    "drill_advice_send": ("Send the advice", "ផ្ញើដំបូន្មាន"),
    "drill_your_figures": ("Your decisions", "ការសម្រេចចិត្តរបស់អ្នក"),
    "drill_team_figures": ("Where the travellers ended up (after the second line)",
                           "លទ្ធផលចុងក្រោយរបស់អ្នកដំណើរ (បន្ទាប់ពីខ្សែទីពីរ)"),
    "drill_hits": ("Frauds stopped", "ការក្លែងបន្លំដែលបានបញ្ឈប់"),
    "drill_false_referrals": ("Genuine travellers stopped", "អ្នកដំណើរពិតដែលត្រូវបានបញ្ឈប់"),
    "drill_criterion": ("Criterion c", "លក្ខណៈវិនិច្ឆ័យ c"),
    "drill_mean_time": ("Time per traveller", "ពេលវេលាក្នុងមួយអ្នកដំណើរ"),
    "drill_tools_per": ("Tools per decision", "ឧបករណ៍ក្នុងមួយការសម្រេចចិត្ត"),
    "drill_decided": ("Decided", "បានសម្រេច"),
    "drill_not_seen": ("Left in the queue", "នៅសល់ក្នុងជួរ"),
    "drill_figures_help": ("d′ is how well you tell frauds from genuine travellers (0: not at all; 2 or more: well). "
                           "c is your caution: below 0 you stop travellers readily, above 0 you let them through.",
                           "d′ បង្ហាញថាអ្នកបែងចែកការក្លែងបន្លំពីអ្នកដំណើរពិតបានល្អប៉ុណ្ណា (0៖ មិនបានសោះ ២ ឬលើស៖ ល្អ)។ "
                           "c គឺជាការប្រុងប្រយ័ត្នរបស់អ្នក៖ ក្រោម 0 អ្នកបញ្ឈប់អ្នកដំណើរយ៉ាងងាយ លើស 0 អ្នកអនុញ្ញាតឱ្យពួកគេឆ្លងកាត់។"),
    "drill_nothing_decided": ("No traveller was decided in this drill.", "គ្មានអ្នកដំណើរណាត្រូវបានសម្រេចនៅក្នុងលំហាត់នេះទេ។"),
    "drill_col_truth": ("What it was", "ការពិត"),
    "drill_col_decision": ("Decision", "ការសម្រេចចិត្ត"),
    "drill_col_verdict": ("Result", "លទ្ធផល"),
    "drill_col_time": ("Time", "ពេលវេលា"),
    "drill_col_used": ("You used", "អ្នកបានប្រើ"),
    "drill_v_hit": ("Stopped (right)", "បានបញ្ឈប់ (ត្រឹមត្រូវ)"),
    "drill_v_miss": ("Let through (missed)", "អនុញ្ញាតឱ្យឆ្លង (ខកខាន)"),
    "drill_v_false": ("Stopped a genuine traveller", "បានបញ្ឈប់អ្នកដំណើរពិត"),
    "drill_v_correct": ("Admitted (right)", "អនុញ្ញាត (ត្រឹមត្រូវ)"),
    "drill_genuine": ("Genuine", "ពិត"),
    "drill_impostor": ("Impostor (not the holder)", "អ្នកក្លែងខ្លួន (មិនមែនម្ចាស់ឯកសារ)"),
    "drill_impostor_note": ("The document is genuine: the person at the counter is not its holder. Compare the face "
                            "with the photo, and ask what the holder would know.",
                            "ឯកសារនេះពិត៖ អ្នកនៅបញ្ជរមិនមែនជាម្ចាស់ឯកសារទេ។ សូមប្រៀបធៀបមុខជាមួយរូបថត "
                            "ហើយសួរអ្វីដែលម្ចាស់ឯកសារគួរដឹង។"),
    "drill_replay": ("Replay a decision", "មើលការសម្រេចចិត្តឡើងវិញ"),
    "drill_severity": ("severity", "កម្រិត"),
    "drill_careful": ("A careful examiner looks at", "អ្នកពិនិត្យដែលប្រុងប្រយ័ត្នមើល"),
    "drill_missed": ("Not used, and would have shown it: {tools}", "មិនបានប្រើ ហើយនឹងបង្ហាញវា៖ {tools}"),
    "drill_second_note": ("Second line: {note}", "ខ្សែទីពីរ៖ {note}"),
    "drill_tool_photo": ("Face against the photo", "ប្រៀបធៀបមុខជាមួយរូបថត"),
    "thr_title": ("My detection thresholds", "កម្រិតរកឃើញរបស់ខ្ញុំ"),
    "thr_intro": ("For each kind of forgery: the subtlest one you catch three times in four. Each trial shows "
                  "four crops of the same part of four documents; one is forged. Tap its number. The forgeries "
                  "get subtler while you are right and plainer when you are not; after 40 trials your threshold "
                  "is measured (0: the subtlest; 1: only blatant ones). Lower is better.",
                  "សម្រាប់ការក្លែងបន្លំនីមួយៗ៖ ការក្លែងបន្លំដែលល្អិតបំផុតដែលអ្នករកឃើញបីដងក្នុងបួន។ ការសាកល្បងនីមួយៗ "
                  "បង្ហាញផ្នែកដូចគ្នាបួនពីឯកសារបួន ហើយមួយក្នុងចំណោមនោះក្លែងក្លាយ។ សូមចុចលេខរបស់វា។ "
                  "ការក្លែងបន្លំកាន់តែល្អិតនៅពេលអ្នកឆ្លើយត្រូវ ហើយកាន់តែច្បាស់នៅពេលអ្នកឆ្លើយខុស។ "
                  "បន្ទាប់ពីការសាកល្បង ៤០ ដង កម្រិតរបស់អ្នកត្រូវបានវាស់ (0៖ ល្អិតបំផុត ១៖ តែការក្លែងបន្លំច្បាស់ៗ)។ "
                  "កាន់តែទាប កាន់តែល្អ។"),
    "thr_technique": ("Kind of forgery", "ប្រភេទការក្លែងបន្លំ"),
    "thr_start": ("Measure it ({n} trials)", "វាស់វា (ការសាកល្បង {n} ដង)"),
    "thr_resume": ("Go on with the measurement ({n} trials done)", "បន្តការវាស់ (បានធ្វើ {n} ដង)"),
    "thr_pause": ("Pause (you can go on later)", "ផ្អាក (អ្នកអាចបន្តពេលក្រោយ)"),
    "thr_again": ("Another measurement", "ការវាស់មួយទៀត"),
    "thr_preparing": ("Preparing the documents...", "កំពុងរៀបចំឯកសារ..."),
    "thr_not_ready": ("The documents for this trial could not be prepared.", "មិនអាចរៀបចំឯកសារសម្រាប់ការសាកល្បងនេះបានទេ។"),
    "thr_trial_n": ("Trial {n} of {total}", "ការសាកល្បងទី {n} នៃ {total}"),
    "thr_which": ("One of these four is forged. Which one?", "មួយក្នុងចំណោមបួននេះក្លែងក្លាយ។ តើមួយណា?"),
    "thr_done": ("Measured: your threshold is {threshold} (95 % sure between {low} and {high}).",
                 "បានវាស់៖ កម្រិតរបស់អ្នកគឺ {threshold} (ប្រាកដ ៩៥ % ថានៅចន្លោះ {low} និង {high})។"),
    "thr_profile": ("Your profile", "ប្រវត្តិរូបរបស់អ្នក"),
    "thr_none": ("No measurement finished yet.", "មិនទាន់មានការវាស់ណាមួយបានបញ្ចប់នៅឡើយទេ។"),
    "thr_col_technique": ("Kind of forgery", "ប្រភេទការក្លែងបន្លំ"),
    "thr_col_latest": ("Latest threshold", "កម្រិតចុងក្រោយ"),
    "thr_col_pre": ("Before the training", "មុនវគ្គ"),
    "thr_col_post": ("After the training", "ក្រោយវគ្គ"),
    "thr_col_gain": ("Gain", "ការរីកចម្រើន"),
    "thr_col_runs": ("Measurements", "ចំនួនការវាស់"),
    "thr_profile_help": ("A threshold is a severity from 0 (the subtlest forgery) to 1 (blatant). The gain is "
                         "before minus after: a positive gain means you now catch subtler forgeries.",
                         "កម្រិតគឺជាភាពធ្ងន់ធ្ងរពី 0 (ការក្លែងបន្លំល្អិតបំផុត) ដល់ ១ (ច្បាស់ៗ)។ ការរីកចម្រើនគឺ "
                         "មុនដកក្រោយ៖ ការរីកចម្រើនវិជ្ជមានមានន័យថាឥឡូវនេះអ្នករកឃើញការក្លែងបន្លំដែលល្អិតជាងមុន។"),
    # --- trainer sign in (reachable by anyone)
    "trainer_title": ("Trainer sign in", "គ្រូបង្គោលចូលប្រើ"),
    "trainer_intro": ("The trainer pages (workshops, specimen studio, library) need the trainer passphrase.",
                      "ទំព័រគ្រូបង្គោល (វគ្គ ស្ទូឌីយោឯកសារគំរូ បណ្ណាល័យ) ត្រូវការពាក្យសម្ងាត់គ្រូបង្គោល។"),
    "passphrase": ("Trainer passphrase", "ពាក្យសម្ងាត់គ្រូបង្គោល"),
    "unlock": ("Unlock", "ដោះសោ"),
    "wrong_passphrase": ("Wrong passphrase.", "ពាក្យសម្ងាត់មិនត្រឹមត្រូវ។"),
    "set_passphrase_title": ("Set the trainer passphrase", "កំណត់ពាក្យសម្ងាត់គ្រូបង្គោល"),
    "set_passphrase_intro": ("No trainer passphrase is set yet. Choose one of at least 8 characters; it is "
                             "stored as a slow hash, never as text.",
                             "មិនទាន់មានពាក្យសម្ងាត់គ្រូបង្គោលនៅឡើយទេ។ សូមជ្រើសរើសមួយដែលមានយ៉ាងតិច ៨ តួ "
                             "វាត្រូវបានរក្សាទុកជាកូដសម្ងាត់ មិនមែនជាអត្ថបទទេ។"),
    "passphrase_again": ("Repeat the passphrase", "វាយពាក្យសម្ងាត់ម្តងទៀត"),
    "set_button": ("Set the passphrase", "កំណត់ពាក្យសម្ងាត់"),
    "passphrase_mismatch": ("The two passphrases differ.", "ពាក្យសម្ងាត់ទាំងពីរមិនដូចគ្នាទេ។"),
    "passphrase_local_only": ("No trainer passphrase is set yet. Set it on the training laptop itself (open "
                              "this page there) or with the command `docexam trainer-passphrase`.",
                              "មិនទាន់មានពាក្យសម្ងាត់គ្រូបង្គោលនៅឡើយទេ។ សូមកំណត់វានៅលើកុំព្យូទ័របណ្តុះបណ្តាល "
                              "ឬដោយប្រើពាក្យបញ្ជា `docexam trainer-passphrase`។"),
    "trainer_unlocked": ("Trainer pages unlocked.", "ទំព័រគ្រូបង្គោលត្រូវបានដោះសោ។"),
    "lock": ("Lock the trainer pages", "ចាក់សោទំព័រគ្រូបង្គោល"),
    # --- alerts and history (sharing)
    "nav_alerts": ("Alerts", "ការព្រមាន"),
    "alerts_title": ("Alerts: new forgeries", "ការព្រមាន៖ ការក្លែងបន្លំថ្មីៗ"),
    "alerts_intro": ("Forgeries officers have just met, shared by trainers and headquarters. Study each one, "
                     "then answer its questions.",
                     "ការក្លែងបន្លំដែលមន្ត្រីទើបតែជួបប្រទះ ចែករំលែកដោយគ្រូបង្គោល និងទីស្នាក់ការកណ្តាល។ "
                     "សូមសិក្សានីមួយៗ រួចឆ្លើយសំណួររបស់វា។"),
    "alerts_none": ("No alerts yet.", "មិនទាន់មានការព្រមាននៅឡើយទេ។"),
    "alert_new": ("New alert: {title} (raised by {department}, {date})",
                  "ការព្រមានថ្មី៖ {title} (ដោយ {department}, {date})"),
    "alert_open": ("Open the alert", "បើកការព្រមាន"),
    "alert_is_new": ("New", "ថ្មី"),
    "alert_imitates": ("Imitates: {what}", "ក្លែងធ្វើជា៖ {what}"),
    "alert_seen": ("Seen: {where}, {when}", "បានឃើញ៖ {where}, {when}"),
    "alert_raised": ("Raised by {department} on {date}", "លើកឡើងដោយ {department} នៅថ្ងៃ {date}"),
    "alert_check": ("What to check", "អ្វីដែលត្រូវពិនិត្យ"),
    "alert_practise": ("Answer its questions", "ឆ្លើយសំណួររបស់វា"),
    "alert_card": ("Printable card (PDF)", "កាតសម្រាប់បោះពុម្ព (PDF)"),
    "alert_missing": ("Its pictures are not on this computer.", "រូបភាពរបស់វាមិនមាននៅលើកុំព្យូទ័រនេះទេ។"),
    "history_title": ("Your training history", "ប្រវត្តិនៃការបណ្តុះបណ្តាលរបស់អ្នក"),
    "history_intro": ("Every answer recorded under your name, here or on a provincial laptop.",
                      "ចម្លើយទាំងអស់ដែលបានកត់ត្រាក្រោមឈ្មោះរបស់អ្នក នៅទីនេះ ឬលើកុំព្យូទ័រយួរដៃខេត្ត។"),
    "history_none": ("No answers yet.", "មិនទាន់មានចម្លើយនៅឡើយទេ។"),
    "col_course": ("Course", "វគ្គ"),
    "col_place": ("Place", "ទីកន្លែង"),
    "col_answers": ("Answers", "ចម្លើយ"),
    "col_correct": ("Correct", "ត្រឹមត្រូវ"),
    "col_last": ("Last answer", "ចម្លើយចុងក្រោយ"),
    "self_study": ("Self-study", "ការសិក្សាដោយខ្លួនឯង"),
}


STRINGS.update(COURSE_STRINGS)


def text(key: str, lang: str = "en", **values) -> str:
    """The string ``key`` in ``lang`` (``en`` or ``km``), formatted with ``values``.

    >>> text("question_n", "en", n=2, total=10)
    'Question 2 of 10'
    >>> text("correct", "km")
    'ត្រឹមត្រូវ។'
    """
    en, km = STRINGS[key]
    s = km if lang == "km" and km else en
    return s.format(**values) if values else s


def t(key: str, **values) -> str:
    """The string ``key`` in the session's language."""
    import streamlit as st

    return text(key, st.session_state.get("lang", "en"), **values)


def lang() -> str:
    import streamlit as st

    return st.session_state.get("lang", "en")


def pick(en: str, km: str | None) -> str:
    """``km`` in a Khmer session when there is one, else ``en`` (for item and lesson texts)."""
    return km if lang() == "km" and km else en


def option_label(option: dict) -> str:
    """An item option (``{"id", "label", "label_km"}``) in the session's language."""
    return pick(option.get("label", option.get("id", "")), option.get("label_km"))
