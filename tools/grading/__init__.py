"""Grading the course's assignments so that a submission cannot forge its score.

Modules, in the order a submission meets them:

- ``masters``: the questions, points, declared answers and tests of a master notebook;
- ``build``: otter assign (student notebook, Gradescope's zip), checked by hashes;
- ``submissions``: a notebook's code cells, read as JSON (a zip's notebook only);
- ``sandbox``, ``harness``, ``wire``: cells run in bubblewrap, answers leave as data;
- ``answers``: each answer converted to its declared kind, functions called remotely;
- ``checks``: the master's tests, run in the grader's process on those answers;
- ``grade``: one submission, or many in parallel;
- ``report``: the CSV, with flags for copies.

What this protects against: a submission reading the tests or answer keys, rewriting
them, patching the test runner or NumPy, forging the grader's output or results, writing
anywhere outside its sandbox, using the network, answering with objects that compare
equal to anything, or never ending.  What it does not: a kernel or bubblewrap exploit;
a student who gets answers from someone else (the flags only catch identical copies);
and anything on Gradescope or in ``otter grade``, which run the hidden tests inside the
student's own kernel (a container protects the host, not the score).
"""
