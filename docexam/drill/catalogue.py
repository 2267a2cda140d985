"""The drill's vocabulary: tools and their time costs, questions, decisions, roles, documents.

One home for each: the scenario format validates against these names, the
engine charges these costs, the debrief names what a careful examiner uses
for each kind of fraud, and the pages show these labels (English, Khmer).

Examples
--------
>>> TOOLS["uv"].seconds, TOOLS["uv"].light
(15, 'uv')
>>> careful_tools("mrz-inconsistency")
('mrz', 'ir')
>>> careful_tools("impostor")
('photo', 'question')
>>> careful_tools(None)
('photo', 'mrz')
"""

from __future__ import annotations

from dataclasses import dataclass

from ..specimens.techniques import TECHNIQUES


@dataclass(frozen=True)
class Tool:
    """Something the officer does to a document, at a cost in seconds of the clock."""

    id: str
    #: default time cost (a scenario may change it)
    seconds: int
    label: tuple[str, str]
    #: the light this tool shows the document in (UV lamp, IR viewer, ...), if any
    light: str | None = None


TOOLS: dict[str, Tool] = {t.id: t for t in (
    Tool("loupe", 10, ("Loupe (magnifier)", "កែវពង្រីក")),
    Tool("uv", 15, ("UV lamp", "ចង្កៀង UV"), light="uv"),
    Tool("ir", 15, ("IR viewer", "ឧបករណ៍មើល IR"), light="ir"),
    Tool("transmitted", 10, ("Transmitted light", "ពន្លឺឆ្លុះពីក្រោយ"), light="transmitted"),
    Tool("tilt", 5, ("Tilt the document", "ផ្អៀងឯកសារ"), light="tilt"),
    Tool("mrz", 20, ("MRZ check (reader)", "ពិនិត្យ MRZ (ម៉ាស៊ីនអាន)")),
    Tool("reference", 15, ("Compare with the reference", "ប្រៀបធៀបជាមួយឯកសារគំរូ")),
    Tool("question", 20, ("Ask the traveller", "សួរអ្នកដំណើរ")),
)}

#: what the officer may ask; the first four are answered from the traveller's story,
#: the last two from the document (and an impostor or a forger may get them wrong)
QUESTIONS: dict[str, tuple[str, str]] = {
    "purpose": ("What is the purpose of your journey?", "តើគោលបំណងនៃការធ្វើដំណើររបស់អ្នកគឺអ្វី?"),
    "stay": ("Where will you stay, and for how long?", "តើអ្នកនឹងស្នាក់នៅទីណា និងរយៈពេលប៉ុន្មាន?"),
    "occupation": ("What is your work?", "តើអ្នកធ្វើការអ្វី?"),
    "ticket": ("Who paid for your journey, and who meets you?", "តើនរណាបង់ថ្លៃធ្វើដំណើរ ហើយនរណាមកទទួលអ្នក?"),
    "date_of_birth": ("What is your date of birth?", "តើអ្នកកើតថ្ងៃខែឆ្នាំណា?"),
    "name": ("Please spell your family name.", "សូមប្រកបនាមត្រកូលរបស់អ្នក។"),
}
#: questions answered from the story the scenario gives the traveller
STORY_QUESTIONS = ("purpose", "stay", "occupation", "ticket")
#: questions answered from the document's data
DOCUMENT_QUESTIONS = ("date_of_birth", "name")

DECISIONS: dict[str, tuple[str, str]] = {
    "admit": ("Admit", "អនុញ្ញាតឱ្យចូល"),
    "refer": ("Refer to second line", "បញ្ជូនទៅខ្សែទីពីរ"),
    "refuse": ("Refuse entry", "បដិសេធការចូល"),
}
#: what the second-line officer may decide on a referral
FINAL_DECISIONS = ("admit", "refuse")

ROLES: dict[str, tuple[str, str]] = {
    "first-line": ("First line (counter)", "ខ្សែទីមួយ (បញ្ជរ)"),
    "second-line": ("Second line (referrals)", "ខ្សែទីពីរ (ករណីបញ្ជូនបន្ត)"),
    "consulted": ("Consulted officer", "មន្ត្រីដែលត្រូវបានពិគ្រោះ"),
}
#: departments a second-line officer may consult on a referral
CONSULTED: dict[str, tuple[str, str]] = {
    "maritime": ("Maritime police", "នគរបាលដែនទឹក"),
    "anti-trafficking": ("Anti-trafficking police", "នគរបាលប្រឆាំងការជួញដូរមនុស្ស"),
}

BORDERS: dict[str, tuple[str, str]] = {
    "land": ("Land crossing", "ច្រកព្រំដែនគោក"),
    "seaport": ("Seaport", "កំពង់ផែ"),
    "airport": ("Airport", "ព្រលានយន្តហោះ"),
}

#: documents a traveller may present; the first two are the travel document itself
DOCUMENT_KINDS: dict[str, tuple[str, str]] = {
    "passport": ("Passport", "លិខិតឆ្លងដែន"),
    "id-card": ("Identity card", "អត្តសញ្ញាណប័ណ្ណ"),
    "visa-page": ("Visa page", "ទំព័រទិដ្ឋាការ"),
    "boarding-card": ("Boarding card", "បណ្ណឡើងយាន"),
    "arrival-form": ("Arrival form", "ប័ណ្ណមកដល់"),
}
TRAVEL_DOCUMENTS = ("passport", "id-card")
#: travel documents by ICAO format of their template (a new template is picked up by its format)
FORMAT_KINDS = {"TD3": "passport", "TD1": "id-card", "TD2": "id-card"}

ARRIVALS = ("steady", "all-at-once", "waves")

#: a traveller who is not the holder of the document presented
IMPOSTOR = "impostor"
FRAUD_KINDS = (*TECHNIQUES, IMPOSTOR)

# zone kinds an examiner inspects with a tool (the light comes from the technique's catalogue entry)
_ZONE_TOOLS = {
    "microprint": "loupe",
    "security-print": "loupe",
    "background": "loupe",
    "mrz": "mrz",
    "portrait": "photo",
    "ghost-portrait": "photo",
    "field": "reference",
}
_LIGHT_TOOLS = {tool.light: tool.id for tool in TOOLS.values() if tool.light}
#: what every document deserves: the face against the photo, and the MRZ
ROUTINE = ("photo", "mrz")


def careful_tools(fraud: str | None) -> tuple[str, ...]:
    """What a careful examiner would use to find ``fraud`` (a technique, ``impostor`` or None).

    For a technique: the tool of each zone kind it touches (loupe, MRZ
    reader, the photo, the reference), then the lamps of the lights its
    evidence shows in (:attr:`Technique.lights`). ``photo`` is not a tool
    with a cost: it is looking at the traveller. None (a genuine traveller)
    gives the routine checks.
    """
    if fraud is None:
        return ROUTINE
    if fraud == IMPOSTOR:
        return ("photo", "question")
    tech = TECHNIQUES[fraud]
    out: list[str] = []
    for kind in tech.zone_kinds:
        tool = _ZONE_TOOLS.get(kind)
        if tool and tool not in out:
            out.append(tool)
    for light in tech.lights:
        tool = _LIGHT_TOOLS.get(light)
        if tool and tool not in out:
            out.append(tool)
    return tuple(out)


def label(table: dict, key: str, lang: str = "en") -> str:
    """The display name of ``key`` in one of the tables above (``TOOLS`` included)."""
    value = table[key]
    en, km = value.label if isinstance(value, Tool) else value
    return km if lang == "km" and km else en
