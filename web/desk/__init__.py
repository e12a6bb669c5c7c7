"""The review desk: server-rendered pages in Vietnamese where archive staff log in and review
records (`sohoa desk serve`). People log in with a name and password (storage/users.py); the
HTTP API's bearer tokens stay for systems."""
