"""Tests of the file-record picture."""
