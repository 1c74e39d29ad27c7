"""The law in force: plugins, their rules, and the unit's configuration.

- :mod:`.plugins`: loading the active jurisdiction's plugin and flattening its rules into a
  :class:`~.plugins.Registry`;
- ``national/``: the national baseline (政府信息公开条例 2019) as an ordinary plugin;
- :mod:`.config`: ``gongkai.toml`` and the active jurisdiction;
- :mod:`.unit_practice`: the unit's own practice (本单位规定) where no text decides;
- :mod:`.outcomes`: request outcomes and applicant types, as the annual report counts them;
- :mod:`.rule_text`: a rule's parameters in Chinese words;
- :mod:`.scaffold`: ``gongkai plugin new``, a new jurisdiction as a package.
"""
