"""Operations: the commands an operator runs, each over the pipeline below it.

``build`` runs Pelican on the project (the one way every command and test
builds the site); ``update`` is the scheduled fetch → build → check → swap;
``publish`` sends a built site to its host; ``schedule`` repeats a command;
``serve`` and ``preview`` show the site on loopback; ``site_checks`` checks a
built site's links and fragments; ``demo`` is what ``make demo`` adds (the demo
registry started in-process, example query codes). ``tasks.py`` calls these.
"""
