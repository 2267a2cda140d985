"""What travels between installations: alerts, signed packs, the headquarters server.

* :mod:`.alerts` - a newly seen forgery as an alert (quiz material, a notice
  on every trainee's home page, a printable card);
* :mod:`.pack` - packs: this installation's own content (specimens,
  templates, alerts, lessons, drill scenarios) as one signed,
  content-addressed file; verified, shown, imported all-or-nothing, undone;
* :mod:`.hq` and :mod:`.sync` - the headquarters server's HTTP routes and
  configuration, and the provincial laptop's push and pull.

Signing is :mod:`docexam.signing`; the record of imports is
:mod:`docexam.training.imports`.
"""
