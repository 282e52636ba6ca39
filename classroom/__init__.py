"""The classroom: a small service that shows an instructor, live, where a room is stuck.

Learners' workbooks send each check's outcome here (``python -m support join URL``); the
instructor's page at ``/c/<class code>/board`` shows learners × exercises. Run it with
``python -m classroom``. It never imports the finished package: it is a service of its own,
built with the same patterns.
"""
