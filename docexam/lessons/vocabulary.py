"""The words officers see: the one home of every display name, in English and Khmer.

Item options, feedback, reports and pages take their labels from here:
families, techniques, lights, verdicts, holder fields and check digits,
topics, template zones (by name, else by kind) and the prompts of each item
type. Code names (``date-of-expiry``, ``uv-ir``) never reach a trainee.

Each table maps a code to ``(english, khmer)``; :func:`label` picks one.

Examples
--------
>>> zone_label("date-of-expiry"), zone_label("guilloche-band"), topic_label("uv-ir")
('Date of expiry', 'Guilloche band', 'UV and IR examination')
>>> topic_label("uv-ir", "km")
'ការពិនិត្យដោយពន្លឺ UV និង IR'
"""

from __future__ import annotations

from ..i18n import SOURCE_LANGUAGE, translator


FAMILY_LABELS = {
    "substrate": ("Substrate (the paper or card itself)", "សម្ភារៈឯកសារ (ក្រដាស ឬកាត)"),
    "printing": ("Printing (background and security printing)", "ការបោះពុម្ព (ផ្ទៃខាងក្រោយ និងលំនាំសុវត្ថិភាព)"),
    "personalization": ("Personalization (the holder's photo and data)",
                        "ទិន្នន័យផ្ទាល់ខ្លួន (រូបថត និងព័ត៌មានម្ចាស់)"),
}

TECHNIQUE_LABELS = {
    "wrong-substrate": ("Wrong paper (office paper)", "ក្រដាសខុសប្រភេទ"),
    "erasure": ("Erasure or chemical washing", "ការលុប ឬលាងទិន្នន័យ"),
    "substrate-patch": ("Glued-in patch of paper", "ការបិទបំណះក្រដាស"),
    "halftone-reproduction": ("Colour-copier or laser reproduction (halftone dots)",
                              "ការថតចម្លងពណ៌ (ចំណុចហាល់ហ្វូន)"),
    "inkjet-reproduction": ("Inkjet reproduction", "ការបោះពុម្ពម៉ាស៊ីនអ៊ីងជិត"),
    "missing-microprint": ("Missing or blurred microprint", "អក្សរតូចបាត់ ឬព្រិល"),
    "broken-guilloche": ("Broken guilloche or rainbow print", "លំនាំហ្គីយ៉ូស ឬពណ៌ឥន្ទធនូដាច់"),
    "photo-substitution": ("Photo substitution", "ការប្ដូររូបថត"),
    "data-alteration": ("Altered printed data", "ការកែប្រែទិន្នន័យ"),
    "mrz-inconsistency": ("MRZ does not match", "MRZ មិនស៊ីគ្នា"),
    "ghost-image-mismatch": ("Ghost image does not match", "រូបស្រមោលមិនត្រូវគ្នា"),
    "counterfeit-card": ("Counterfeit card (PVC or Teslin)", "កាតក្លែងក្លាយ (PVC ឬ Teslin)"),
    "re-engraving": ("Data sanded off and engraved again", "ទិន្នន័យត្រូវបានកោសចេញ ហើយឆ្លាក់ឡើងវិញ"),
    "delamination": ("Card layers opened and laminated again", "ស្រទាប់កាតត្រូវបានបើក ហើយបិទឡើងវិញ"),
    "impostor": ("Impostor (a look-alike with someone else's document)",
                 "អ្នកក្លែងខ្លួន (មនុស្សស្រដៀងគ្នាកាន់ឯកសាររបស់អ្នកផ្សេង)"),
    "flat-foil": ("Flat foil instead of a kinegram or colour-shifting ink",
                  "ផ្ទាំងលោហៈរាបស្មើជំនួសគីណេក្រាម ឬទឹកខ្មៅប្តូរពណ៌"),
    "printed-ovd": ("Printed imitation of a kinegram or colour-shifting ink",
                    "ការបោះពុម្ពក្លែងគីណេក្រាម ឬទឹកខ្មៅប្តូរពណ៌"),
    "printed-watermark": ("Printed watermark", "វ៉ាទើម៉ាកបោះពុម្ព"),
    "stolen-blank": ("Stolen blank personalised by the wrong printer",
                     "ឯកសារទទេលួច បោះពុម្ពទិន្នន័យដោយម៉ាស៊ីនខុស"),
    "counterfeit-stamp": ("Counterfeit border stamp", "ត្រាព្រំដែនក្លែងក្លាយ"),
    "stamp-date-contradiction": ("Stamp dates that contradict each other or the visa",
                                 "កាលបរិច្ឆេទត្រាដែលផ្ទុយគ្នា ឬផ្ទុយនឹងទិដ្ឋាការ"),
    "page-substitution": ("Page taken from another booklet", "ទំព័រយកពីសៀវភៅផ្សេង"),
    "counterfeit-visa": ("Counterfeit visa sticker", "ស្ទីគ័រទិដ្ឋាការក្លែងក្លាយ"),
}

LIGHT_LABELS = {
    "visible": ("Normal white light (with a magnifier)", "ពន្លឺធម្មតា (ជាមួយកែវពង្រីក)"),
    "uv": ("Ultraviolet (UV) light", "ពន្លឺអ៊ុលត្រាវីយូឡេ (UV)"),
    "ir": ("Infrared (IR) light", "ពន្លឺអ៊ីនហ្វ្រារ៉េដ (IR)"),
    "transmitted": ("Transmitted light (held up to a lamp)", "ពន្លឺឆ្លងកាត់ (លើកទៅរកចង្កៀង)"),
}

CAPTURE_LABELS = {
    "flat": ("As printed (flat)", "ដូចបោះពុម្ព (រាបស្មើ)"),
    "scan": ("Scan", "ស្កេន"),
    "phone": ("Phone photo", "រូបថតទូរស័ព្ទ"),
}

VERDICT_LABELS = {"genuine": ("Genuine", "ពិត"), "forged": ("Forged", "ក្លែងក្លាយ")}

FIELD_LABELS = {
    "surname": ("Surname", "នាមត្រកូល"),
    "given_names": ("Given names", "នាមខ្លួន"),
    "document_number": ("Document number", "លេខឯកសារ"),
    "nationality": ("Nationality", "សញ្ជាតិ"),
    "date_of_birth": ("Date of birth", "ថ្ងៃខែឆ្នាំកំណើត"),
    "sex": ("Sex", "ភេទ"),
    "date_of_expiry": ("Date of expiry", "ថ្ងៃផុតកំណត់"),
}

CHECK_LABELS = {
    "document_number": ("Check digit of the document number", "លេខផ្ទៀងផ្ទាត់នៃលេខឯកសារ"),
    "date_of_birth": ("Check digit of the date of birth", "លេខផ្ទៀងផ្ទាត់នៃថ្ងៃកំណើត"),
    "date_of_expiry": ("Check digit of the date of expiry", "លេខផ្ទៀងផ្ទាត់នៃថ្ងៃផុតកំណត់"),
}

PROMPTS = {
    "verdict": ("Is this document genuine or forged?", "តើឯកសារនេះពិត ឬក្លែងក្លាយ?"),
    "locate": ("This document was forged. Click on the forged area, or draw a box around it.",
               "ឯកសារនេះត្រូវបានក្លែងបន្លំ។ សូមចុចលើកន្លែងដែលក្លែងបន្លំ ឬគូសប្រអប់ជុំវិញវា។"),
    "family": ("The marked area was tampered with. What did the forger attack?",
               "តំបន់ដែលបានសម្គាល់ត្រូវបានកែបន្លំ។ តើអ្នកក្លែងបន្លំបានវាយប្រហារផ្នែកណា?"),
    "technique": ("The marked area was tampered with. How was it done?",
                  "តំបន់ដែលបានសម្គាល់ត្រូវបានកែបន្លំ។ តើគេធ្វើវាដោយរបៀបណា?"),
    "light": ("Which light shows this kind of forgery best?",
              "តើពន្លឺមួយណាបង្ហាញការក្លែងបន្លំប្រភេទនេះច្បាស់ជាងគេ?"),
    "compare": ("One of these two documents is genuine, the other is forged. Which one is genuine?",
                "ឯកសារមួយពិត មួយទៀតក្លែងក្លាយ។ តើមួយណាពិត?"),
    "mrz-check-digit": ("One check digit in this MRZ is wrong. Which one?",
                        "លេខផ្ទៀងផ្ទាត់មួយនៅក្នុង MRZ នេះខុស។ តើមួយណា?"),
    "mrz-field": ("The MRZ disagrees with the printed data in one field. Which field?",
                  "MRZ មិនត្រូវគ្នានឹងទិន្នន័យដែលបានបោះពុម្ពនៅវាលមួយ។ តើវាលមួយណា?"),
    "same-person": ("Is the traveller photographed at the counter the holder of this document? Why?",
                    "តើអ្នកដំណើរដែលថតរូបនៅបញ្ជរ ជាម្ចាស់ឯកសារនេះឬទេ? ហេតុអ្វី?"),
}

#: what tells two people apart (``same-person`` items): features that do not change with time or style
FACE_FEATURE_LABELS = {
    "face-shape": ("the shape of the face and jaw", "រាងមុខ និងថ្គាម"),
    "eyes": ("the eyes (size, spacing, slant)", "ភ្នែក (ទំហំ គម្លាត ទម្រេត)"),
    "brows": ("the eyebrows", "ចិញ្ចើម"),
    "nose": ("the nose", "ច្រមុះ"),
    "mouth": ("the mouth and lips", "មាត់ និងបបូរមាត់"),
    "ears": ("the ears", "ត្រចៀក"),
    "moles": ("the moles and marks on the skin", "ប្រជ្រុយ និងស្នាមលើស្បែក"),
    "hairline": ("the hair line on the forehead", "ព្រំសក់លើថ្ងាស"),
    "skin": ("the skin tone", "សម្បុរស្បែក"),
}
#: what may differ between two photos of one person
FACE_CHANGE_LABELS = {
    "age": ("age (the photo is years old)", "អាយុ (រូបថតមានអាយុច្រើនឆ្នាំ)"),
    "glasses": ("glasses", "វ៉ែនតា"),
    "hair": ("hair cut or hair colour", "ម៉ូដសក់ ឬពណ៌សក់"),
    "beard": ("beard or moustache", "ពុកចង្ការ ឬពុកមាត់"),
    "light": ("light and camera", "ពន្លឺ និងកាមេរ៉ា"),
}
WHY_FACES = ("Compare what a person cannot change: the shape of the face, the eyes, nose, ears, brows and "
             "moles. Age, glasses, hair, a beard and the light change; they do not make another person.")
WHY_FACES_KM = ("ប្រៀបធៀបអ្វីដែលមនុស្សម្នាក់មិនអាចផ្លាស់ប្តូរបាន៖ រាងមុខ ភ្នែក ច្រមុះ ត្រចៀក ចិញ្ចើម និងប្រជ្រុយ។ "
                "អាយុ វ៉ែនតា សក់ ពុកចង្ការ និងពន្លឺអាចប្រែប្រួល ប៉ុន្តែមិនធ្វើឱ្យក្លាយជាមនុស្សផ្សេងទេ។")

#: techniques an officer commonly mistakes for each technique, most confusable first;
#: the distractors of a ``technique`` item come from here, then from the same family
CONFUSED_WITH = {
    "wrong-substrate": ("substrate-patch", "erasure", "halftone-reproduction"),
    "erasure": ("data-alteration", "substrate-patch", "wrong-substrate"),
    "substrate-patch": ("erasure", "photo-substitution", "wrong-substrate"),
    "halftone-reproduction": ("inkjet-reproduction", "broken-guilloche", "missing-microprint"),
    "inkjet-reproduction": ("halftone-reproduction", "missing-microprint", "broken-guilloche"),
    "missing-microprint": ("broken-guilloche", "halftone-reproduction", "inkjet-reproduction"),
    "broken-guilloche": ("missing-microprint", "halftone-reproduction", "inkjet-reproduction"),
    "photo-substitution": ("ghost-image-mismatch", "substrate-patch", "data-alteration"),
    "data-alteration": ("erasure", "mrz-inconsistency", "photo-substitution"),
    "mrz-inconsistency": ("data-alteration", "erasure", "ghost-image-mismatch"),
    "ghost-image-mismatch": ("photo-substitution", "data-alteration", "mrz-inconsistency"),
    "counterfeit-card": ("delamination", "re-engraving", "missing-microprint"),
    "re-engraving": ("delamination", "mrz-inconsistency", "counterfeit-card"),
    "delamination": ("counterfeit-card", "re-engraving", "ghost-image-mismatch"),
    "impostor": ("photo-substitution", "ghost-image-mismatch", "data-alteration"),
    "flat-foil": ("printed-ovd", "halftone-reproduction", "broken-guilloche"),
    "printed-ovd": ("flat-foil", "halftone-reproduction", "inkjet-reproduction"),
    "printed-watermark": ("wrong-substrate", "halftone-reproduction", "substrate-patch"),
    "stolen-blank": ("counterfeit-card", "re-engraving", "photo-substitution"),
    "counterfeit-stamp": ("stamp-date-contradiction", "data-alteration", "counterfeit-visa"),
    "stamp-date-contradiction": ("counterfeit-stamp", "data-alteration", "page-substitution"),
    "page-substitution": ("substrate-patch", "counterfeit-stamp", "wrong-substrate"),
    "counterfeit-visa": ("halftone-reproduction", "inkjet-reproduction", "counterfeit-stamp"),
}

WHY_GENUINE = ("Nothing on this document was altered. Refusing a genuine traveller is an error too: "
                "check each feature before you decide.")
WHY_CHECK_DIGIT = ("A genuine passport printer computes every check digit; a wrong one means the MRZ "
                    "was typed or changed by hand.")
WHY_FIELD = ("The printed page and the MRZ must say the same thing. A forger who changes one "
              "often forgets, or cannot change, the other.")


TOPIC_LABELS = {
    "substrates": ("Substrates: paper and card", "សម្ភារៈឯកសារ៖ ក្រដាស និងកាត"),
    "printing": ("Printing techniques", "បច្ចេកទេសបោះពុម្ព"),
    "security-printing": ("Security printing", "ការបោះពុម្ពសុវត្ថិភាព"),
    "personalization": ("Personalization and photo substitution", "ទិន្នន័យផ្ទាល់ខ្លួន និងការប្ដូររូបថត"),
    "mrz": ("The MRZ and its check digits", "MRZ និងលេខផ្ទៀងផ្ទាត់"),
    "uv-ir": ("UV and IR examination", "ការពិនិត្យដោយពន្លឺ UV និង IR"),
    "review": ("Mixed review", "ការរំលឹកឡើងវិញ"),
    "impostors": ("Impostors and face comparison", "អ្នកក្លែងខ្លួន និងការប្រៀបធៀបមុខ"),
    "booklet": ("The passport booklet: visas and stamps", "សៀវភៅលិខិតឆ្លងដែន៖ ទិដ្ឋាការ និងត្រា"),
    "ovd": ("Optically variable features", "លក្ខណៈប្រែប្រួលតាមមុំមើល"),
    "transmitted": ("Transmitted light: watermark and thread", "ពន្លឺឆ្លងកាត់៖ វ៉ាទើម៉ាក និងខ្សែសុវត្ថិភាព"),
    "stolen-blanks": ("Stolen blanks", "ឯកសារទទេដែលត្រូវបានលួច"),
}

#: zones by name (shipped templates) ...
ZONE_LABELS = {
    "page": ("Whole page", "ទំព័រទាំងមូល"),
    "card-front": ("Front of the card", "ផ្នែកខាងមុខកាត"),
    "card-back": ("Back of the card", "ផ្នែកខាងក្រោយកាត"),
    "guilloche-band": ("Guilloche band", "បន្ទះហ្គីយ៉ូស"),
    "guilloche-band-back": ("Guilloche band on the back", "បន្ទះហ្គីយ៉ូសខាងក្រោយ"),
    "microprint-top": ("Microprint line at the top", "បន្ទាត់អក្សរតូចខាងលើ"),
    "microprint-mrz": ("Microprint line above the MRZ", "បន្ទាត់អក្សរតូចលើ MRZ"),
    "microprint-front": ("Microprint line on the front", "បន្ទាត់អក្សរតូចខាងមុខ"),
    "microprint-back": ("Microprint line on the back", "បន្ទាត់អក្សរតូចខាងក្រោយ"),
    "portrait": ("Portrait", "រូបថត"),
    "ghost-portrait": ("Ghost image", "រូបស្រមោល"),
    "rosette": ("Guilloche rosette", "ផ្កាហ្គីយ៉ូស"),
    "kinegram": ("Kinegram (tilt it)", "គីណេក្រាម (ផ្អៀងវា)"),
    "colour-shift": ("Colour-shifting emblem (tilt it)", "និមិត្តសញ្ញាប្តូរពណ៌ (ផ្អៀងវា)"),
    "watermark": ("Watermark (against a lamp)", "វ៉ាទើម៉ាក (ទល់នឹងចង្កៀង)"),
    "stamps": ("Border stamps", "ត្រាព្រំដែន"),
    "visa-sticker": ("Visa sticker", "ស្ទីគ័រទិដ្ឋាការ"),
    "page-left": ("Left page", "ទំព័រខាងឆ្វេង"),
    "page-right": ("Right page", "ទំព័រខាងស្តាំ"),
    "emblem": ("Emblem", "និមិត្តសញ្ញា"),
    "uv-emblem": ("UV emblem (seen under UV light)", "និមិត្តសញ្ញា UV (មើលឃើញក្រោមពន្លឺ UV)"),
    "mrz": ("Machine-readable zone (MRZ)", "តំបន់អានដោយម៉ាស៊ីន (MRZ)"),
    "type": ("Document type", "ប្រភេទឯកសារ"),
    "code": ("Issuing state code", "លេខកូដរដ្ឋចេញ"),
    "place-of-birth": ("Place of birth", "ទីកន្លែងកំណើត"),
    "date-of-issue": ("Date of issue", "ថ្ងៃចេញ"),
    "authority": ("Issuing authority", "អាជ្ញាធរចេញ"),
}
#: ... else by kind
ZONE_KIND_LABELS = {
    "portrait": ("Portrait", "រូបថត"),
    "ghost-portrait": ("Ghost image", "រូបស្រមោល"),
    "field": ("Printed field", "វាលទិន្នន័យ"),
    "mrz": ("Machine-readable zone (MRZ)", "តំបន់អានដោយម៉ាស៊ីន (MRZ)"),
    "security-print": ("Security printing", "ការបោះពុម្ពសុវត្ថិភាព"),
    "microprint": ("Microprint", "អក្សរតូច"),
    "emblem": ("Emblem", "និមិត្តសញ្ញា"),
    "background": ("Background", "ផ្ទៃខាងក្រោយ"),
}

SIDE_LABELS = {"left": ("Left", "ខាងឆ្វេង"), "right": ("Right", "ខាងស្ដាំ")}


def label(table: dict, code: str, lang: str = "en") -> str:
    """``code``'s label from ``table`` in ``lang`` (English when there is no Khmer)."""
    en, km = table[code]
    return km if lang == "km" and km else en


def _prettified(code: str) -> str:
    return code.replace("_", " ").replace("-", " ").strip().capitalize()


def zone_label(zone: str, lang: str = "en", *, kind: str | None = None) -> str:
    """A template zone's name in plain words: known names, holder fields, the zone's kind, else tidied up."""
    underscored = zone.replace("-", "_")
    for table, code in ((ZONE_LABELS, zone), (FIELD_LABELS, underscored), (ZONE_KIND_LABELS, kind or "")):
        if code in table:
            return label(table, code, lang)
    return _prettified(zone)


def finding_text(finding, lang: str = "en") -> str:
    """What the examination machine says in a finding (or note) in ``lang``, its zone named in that language.

    >>> from docexam.i18n import Message
    >>> from types import SimpleNamespace as F
    >>> f = F(zone="surname", message=Message("The {label} is printed differently.", label="surname"))
    >>> finding_text(f), finding_text(f, "xx")
    ('The surname is printed differently.', 'The Surname is printed differently.')
    """
    if lang == SOURCE_LANGUAGE:
        return str(finding.message)
    zone = getattr(finding, "zone", None)
    names = {"label": zone_label(zone, lang)} if zone else {}
    return translator(lang).message(finding.message, **names)


def topic_label(topic: str, lang: str = "en") -> str:
    """A topic's display name (a trainer's own topic: its code, tidied up)."""
    return label(TOPIC_LABELS, topic, lang) if topic in TOPIC_LABELS else _prettified(topic)


def technique_label(technique: str | None, family: str, lang: str = "en") -> str:
    """What was done: the technique's name, else the attacked family's."""
    if technique and technique in TECHNIQUE_LABELS:
        return label(TECHNIQUE_LABELS, technique, lang)
    return label(FAMILY_LABELS, family, lang) if family in FAMILY_LABELS else _prettified(family)
