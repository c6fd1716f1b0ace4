"""Development tools: not part of what production deploys (the production image copies bot/, actions/, rasa_addons/ only).

`fake_receiver` is a local adviser webhook for `make run`, the tests and a staging cluster.
"""
