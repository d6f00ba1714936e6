"""An app for tests only: job kinds that write to the sandbox, so a test can count what was sent."""
