# Sourced by install.sh and run.sh: exits 0 with one line when node, npm or python3 is missing,
# so a machine without them skips the interop suite instead of failing it.
for tool in node npm python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "interop: skipped: $tool not found (the interop suite needs node, npm and python3)"
        exit 0
    fi
done
