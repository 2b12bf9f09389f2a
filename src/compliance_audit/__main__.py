from compliance_audit.cli import main

main()
