#!/bin/sh
# Starts Chromium ($CHROMIUM) with the arguments playwright-core gives it, its --disable-features joined
# into one: Chromium keeps only the last it is given, and playwright-core gives its own list before ours.
set -e
features=
for arg do
  shift
  case $arg in
  --disable-features=*) features="$features${features:+,}${arg#--disable-features=}" ;;
  *) set -- "$@" "$arg" ;;
  esac
done
exec "$CHROMIUM" ${features:+"--disable-features=$features"} "$@"
