"""Benchmarks: scripts that print tables against a baseline measured in the same run.

numpy's BLAS runs one thread here, as in the bot's workers (``bot/workers.py``): with a
thread per core fighting the other jobs of a small machine, a 9k-word summary measured
anywhere from 41 to 299 ms; with one, 41–45 ms. Set before any benchmark imports numpy.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
