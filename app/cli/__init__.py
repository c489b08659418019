"""Headless subcommands: each module has add_arguments(parser, name) and run(args, name)."""
