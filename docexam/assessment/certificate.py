"""The certificate: its content as one self-contained printable HTML page (no scripts, no fonts).

Kept out of the UI so other outputs (a Khmer PDF) can reuse it. Whether a
trainee has earned one is :func:`docexam.assessment.course.certificate_decision`;
the rule it was awarded under is printed on it.
"""

from __future__ import annotations

import datetime as dt
import html


def certificate_html(*, name: str, department: str, province: str, workshop: str | None,
                     place: str | None, dates: str | None, pre: float | None, post: float | None,
                     issued: dt.date, rule: str = "", lang: str = "en") -> str:
    """A printable certificate of completion: one self-contained HTML page (no scripts, no fonts).

    >>> "Sok Chea" in certificate_html(name="Sok Chea", department="Immigration", province="Koh Kong",
    ...     workshop="Level 1", place="Koh Kong", dates="2025-03-03 to 2025-03-05", pre=0.4, post=0.8,
    ...     issued=dt.date(2025, 3, 5))
    True
    """
    e = html.escape
    km = lang == "km"
    title = "វិញ្ញាបនបត្របញ្ចប់វគ្គ" if km else "Certificate of completion"
    body = ("បានបញ្ចប់វគ្គបណ្តុះបណ្តាល ការពិនិត្យឯកសារធ្វើដំណើរក្លែងក្លាយ" if km else
            "has completed the training in examining travel documents for fraud")
    score = ""
    if pre is not None and post is not None:
        score = (f"<p class='score'>{'តេស្តមុន' if km else 'Pre-test'} {pre * 100:.0f}% &rarr; "
                 f"{'តេស្តក្រោយ' if km else 'post-test'} {post * 100:.0f}%</p>")
    course = ""
    if workshop:
        course = f"<p class='course'>{e(workshop)}" + (f", {e(place)}" if place else "") + \
                 (f"<br>{e(dates)}" if dates else "") + "</p>"
    return f"""<!DOCTYPE html>
<html lang="{'km' if km else 'en'}"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>
@page {{ size: A4 landscape; margin: 12mm; }}
body {{ font-family: serif; margin: 0; color: #1b2a3a; }}
.frame {{ border: 6px double #1b4f72; padding: 40px 60px; text-align: center; min-height: 150mm; }}
h1 {{ font-size: 34pt; letter-spacing: 1px; margin: 10px 0 30px; color: #1b4f72; }}
.name {{ font-size: 28pt; font-weight: bold; margin: 10px 0; }}
.who {{ font-size: 13pt; color: #444; }}
.body {{ font-size: 15pt; margin: 24px 0; }}
.course, .score {{ font-size: 13pt; }}
.rule {{ font-size: 11pt; color: #444; font-style: italic; }}
.foot {{ margin-top: 50px; display: flex; justify-content: space-between; font-size: 11pt; }}
.line {{ border-top: 1px solid #333; width: 60mm; padding-top: 4px; }}
</style></head><body><div class="frame">
<h1>{e(title)}</h1>
<p class="name">{e(name)}</p>
<p class="who">{e(department)}, {e(province)}</p>
<p class="body">{e(body)}</p>
{course}{score}{f"<p class='rule'>{e(rule)}</p>" if rule else ""}
<div class="foot"><div class="line">{'កាលបរិច្ឆេទ' if km else 'Date'}: {issued.isoformat()}</div>
<div class="line">{'ហត្ថលេខាគ្រូបង្គោល' if km else 'Trainer signature'}</div></div>
</div></body></html>
"""
