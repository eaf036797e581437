from fastlint.cli import main

main()
