"""Drafts for the tests of `docgen check`, and the helpers that turn them into .docx files."""
