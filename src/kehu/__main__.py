from kehu.cli.entry import main

main()
