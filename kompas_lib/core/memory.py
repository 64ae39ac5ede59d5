"""Memory a long-lived process gives back to the system after a big read or a report."""

from __future__ import annotations


def give_back() -> None:
    """Give back what pyarrow's memory pool keeps after reading parquet (about 125 MiB after the real fact
    table is read) and what the C heap keeps of freed Python objects (glibc; about 20 MiB after a
    report): a batch worker and its kernel live for hundreds of reports."""
    import ctypes
    import gc

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # another C library: nothing to give back this way
        pass


def keep_for_good() -> None:
    """Move every object that exists now out of the garbage collector's sight (``gc.freeze``): after a warm
    kernel has imported the libraries and read the tables, and after a batch worker's first report, what
    is there lives as long as the process. A full collection then looks only at what a report made —
    IPython collects twice between two gemeenten (its reset), and that took about 0,15 s each over the
    200.000 objects of the libraries and tables; now 0,02 s."""
    import gc

    gc.collect()
    gc.freeze()
