"""The two small server-rendered pages. Every value is escaped; styles come from /static."""

from html import escape

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/classroom.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body class="plain">
<main>
{body}
</main>
</body>
</html>
"""


def home_page() -> str:
    body = (
        "<h1>Classroom</h1>\n"
        "<p>This service shows an instructor where a workshop is stuck. Learners join with "
        "the link their instructor gives them.</p>"
    )
    return PAGE.format(title="Classroom", body=body)


def join_page(code: str, join_url: str) -> str:
    command = f"python -m support join {join_url}"
    body = (
        f"<h1>Class {escape(code)}</h1>\n"
        "<p>To share your progress with the instructor, run this once in a terminal, in the "
        "workbook's folder (or in a notebook cell, with <code>!</code> in front):</p>\n"
        f"<pre>{escape(command)}</pre>\n"
        "<p>You choose the name the instructor sees. Each check then sends that name, the "
        "notebook, the exercise, its status (correct, incorrect, not attempted) and its "
        "diagnosis code: never your code or anything else. "
        "<code>python -m support leave</code> stops it.</p>"
    )
    return PAGE.format(title=f"Class {escape(code)}", body=body)
