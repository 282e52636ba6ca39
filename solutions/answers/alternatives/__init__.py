"""Other correct answers, one module per notebook, written the way learners write them.

Each check must accept every one (tests/checks/test_catalogue.py): a valid style the task
allows is never told it is wrong.
"""
