try:
    from kehu.cli.entry import main
except KeyboardInterrupt:  # Ctrl-C before kehu's own entry point is loaded
    import sys

    sys.stderr.write("kehu: interrupted; nothing was written\n")
    raise SystemExit(130) from None

main()
