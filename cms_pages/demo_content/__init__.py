"""The demo website of a fictional utility, Vodárna Pramenov: Czech texts as data, and their loader."""

from .loader import load_demo_content

__all__ = ["load_demo_content"]
