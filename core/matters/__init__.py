"""Matters: time-critical obligations that are neither a request nor a document.

A public-opinion incident, a new-media emergency release, an online consultation, a
leader-mailbox letter, a 双公示 decision, a power-list change... Each kind is a
:class:`~gongkai.hookspecs.records.DeadlineRule` of the active jurisdiction (see
:mod:`.kinds`); its clocks are stored as ``StoredDeadline`` rows (owner_kind ``matter``)
so the morning digest (:mod:`.digest`) sees them next to requests and documents.
The package also holds the participation checks (:mod:`.checks`) and the yearly duty
calendar (:mod:`.duties`).
"""
