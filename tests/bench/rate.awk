# SPDX-License-Identifier: GPL-3.0-or-later
# Achieved against planned rate per 1 % of the LBA range, from an emulator
# log (one line per command: "<emulated ns> <opcode> <name> <lba> <blocks> -").
#
#   awk -v s=START_SPS -v e=END_SPS -v n=SECTORS -f rate.awk LOG
#
# prints one relative error per hundredth (achieved / planned - 1, signed);
# with -v late=1, instead, each WRITE's lateness against the plan in
# emulated ns, measured from the most punctual WRITE (the plan's time origin
# is unknown to the log, so a constant offset is taken out).
# The plan is linear in LBA, r(x) = s + (e - s)·x/n, so the time to reach x
# is x/s when flat and n/(e - s)·ln(r(x)/s) otherwise (as in
# tests/integration/t25-rate.sh, which does this per tenth).  Within a
# hundredth the achieved rate is sectors over time between the first and
# the last WRITE that start in it, and the planned rate the same sectors
# over the plan's time between the same two LBAs, so a constant offset
# (when the first WRITE went out) cancels.
function plan(x,   r) {
	if (s == e)
		return x / s
	r = s + (e - s) * x / n
	return n / (e - s) * log(r / s)
}
$3 ~ /^WRITE/ && $NF == "-" {
	if (t0 == "") { t0 = $1; lba0 = $4 }
	x = $4 - lba0
	t = ($1 - t0) / 1e9
	if (late) {
		lag[++nlag] = (t - plan(x)) * 1e9
		if (nlag == 1 || lag[nlag] < least) least = lag[nlag]
		next
	}
	b = int(x * 100 / n)
	if (!(b in first)) { first[b] = x; tfirst[b] = t }
	last[b] = x; tlast[b] = t
}
END {
	if (late) {
		for (i = 1; i <= nlag; i++)
			printf "%.0f\n", lag[i] - least
		exit
	}
	for (i = 0; i < 100; i++) {
		if (!(i in first) || last[i] == first[i] || tlast[i] == tfirst[i])
			continue
		got = (last[i] - first[i]) / (tlast[i] - tfirst[i])
		want = (last[i] - first[i]) / (plan(last[i]) - plan(first[i]))
		printf "%.6f\n", got / want - 1
	}
}
