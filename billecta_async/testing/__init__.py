"""Testing helpers for code that calls Billecta: sample models (and, later, a local emulator)."""

from billecta_async.testing._samples import sample_list, sample_model

__all__ = ["sample_list", "sample_model"]
