from learntrace.cli import main

main(prog_name="trace")
