"""Tests of the public web pages."""
