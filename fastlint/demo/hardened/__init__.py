"""The /users example, hardened: fastlint reports nothing here."""
