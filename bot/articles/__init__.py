"""Reading one article: a link from a stranger → a safe fetch → text → an extractive summary.

``urls`` finds and checks links, ``addresses`` decides which hosts may be reached,
``fetch`` downloads under limits, ``charset`` decodes, ``extract`` finds the article,
``sentences`` and ``summarize`` pick its key sentences, ``pipeline`` chains the CPU-bound
steps for a worker process, ``service`` caches and de-duplicates, ``render`` writes the reply.
"""
