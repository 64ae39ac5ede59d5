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
