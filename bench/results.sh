# Sourced by the bench scripts. results_file NAME prints a path under
# $RESULTS_DIR (made if missing) for a results file named NAME.md, or
# NAME-2.md, NAME-3.md, ... when that exists: earlier runs are never
# overwritten.
results_file() {
	mkdir -p "$RESULTS_DIR"
	local out="$RESULTS_DIR/$1.md" k=2
	while [ -e "$out" ]; do
		out="$RESULTS_DIR/$1-$k.md"
		k=$((k + 1))
	done
	echo "$out"
}
