"""The resident preloader: a per-user process that has already imported the ORM and the
workflow modules, and forks a child for each ``gongkai`` command.

Importing SQLAlchemy, SQLModel and the models costs a command 15 to 20 times an empty
interpreter's start, before it reads a row. The ``gongkai`` entry point (:mod:`.client`)
therefore first hands its command to the server (:mod:`.server`) over a private Unix
socket, with its arguments, working directory, environment, umask and its own standard
streams (the file descriptors themselves). The server forks; the child (:mod:`.child`)
takes on the client's context and runs the command exactly as the client would have, then
reports the exit code. The server holds no configuration, database or per-command state,
so each child is a fresh process in all but its imports. With no server answering, the
command runs in the client as before and a server is started for the next one; it exits
after :data:`~.protocol.IDLE_SECONDS` without a command. ``GONGKAI_PRELOAD=0`` turns it
all off. The same client/server design as Bazel's, Ruby's Spring, or Python's own
``multiprocessing`` "forkserver".
"""
