"""Sources turn the outside world into `ActivityRecord`s. They never touch the database."""
