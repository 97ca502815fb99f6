"""Requests that arrive at the same instant, as they do when a petition goes viral."""

import threading

from django.db import connection


def at_once(count, request):
    """Call request(index) in `count` threads released together; the results, in any order."""
    start = threading.Barrier(count)
    results = []

    def run(index):
        try:
            start.wait()
            results.append(request(index))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
