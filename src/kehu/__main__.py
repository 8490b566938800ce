from kehu.cli.main import main

main()
