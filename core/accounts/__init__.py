"""Staff accounts, roles and the one permission function (``permissions.allowed``).

A unit without accounts works as before (``--by`` is free text). Once it has accounts,
every signer must be an active account holding the role its step needs, and the event
log's actor is the account's name.
"""
