#!/usr/bin/env bash
# Turns the raw rows of run.sh (pair transport qps p50 p99 p999 calls errors
# cpu_us_per_call [user_us_per_call]) into a Markdown table of medians per
# pair and transport, and the ratios of ours against Volo. Rows without the
# user-time column (older files) show "–" there.
set -euo pipefail

awk '
function median(list,    n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) {
    t = a[i] + 0
    for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]
    a[j + 1] = t
  }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
  key = $1 SUBSEP $2
  if (!(key in runs)) { order[++groups] = key }
  runs[key]++
  for (c = 3; c <= 9; c++) col[key, c] = col[key, c] " " $c
  if (NF >= 10) col[key, 10] = col[key, 10] " " $10
  errors[key] += $8
}
END {
  print "| pair (server<-client) | transport | runs | qps | p50 µs | p99 µs | p999 µs | server CPU µs/call | of which user | errors |"
  print "|---|---|---|---|---|---|---|---|---|---|"
  for (g = 1; g <= groups; g++) {
    key = order[g]
    split(key, k, SUBSEP)
    for (c = 3; c <= 9; c++) m[key, c] = median(col[key, c])
    user = "–"
    if ((key, 10) in col) { m[key, 10] = median(col[key, 10]); user = sprintf("%.2f", m[key, 10]) }
    printf "| %s | %s | %d | %.0f | %d | %d | %d | %.2f | %s | %d |\n", k[1], k[2], runs[key], m[key, 3], m[key, 4], m[key, 5], m[key, 6], m[key, 9], user, errors[key]
    transports[k[2]] = 1
  }
  print ""
  for (t in transports) {
    oo = "ours<-ours" SUBSEP t; vv = "volo<-volo" SUBSEP t
    ov = "ours<-volo" SUBSEP t; vo = "volo<-ours" SUBSEP t
    if ((oo in runs) && (vv in runs) && m[vv, 3] > 0)
      printf "- %s: QPS ours<-ours / volo<-volo = %.2f\n", t, m[oo, 3] / m[vv, 3]
    if ((oo in runs) && (vo in runs) && m[vo, 9] > 0)
      printf "- %s: server CPU/call, our server / Volo server, both under our client = %.2f\n", t, m[oo, 9] / m[vo, 9]
    if ((ov in runs) && (vv in runs) && m[vv, 9] > 0)
      printf "- %s: server CPU/call, our server / Volo server, both under Volo client = %.2f\n", t, m[ov, 9] / m[vv, 9]
    fo = "floor<-ours" SUBSEP t
    if ((fo in runs) && (vo in runs) && m[vo, 9] > 0)
      printf "- %s: server CPU/call, floor server / Volo server, both under our client = %.2f (the least any server reaches)\n", t, m[fo, 9] / m[vo, 9]
    if (((oo, 10) in m) && ((vo, 10) in m) && m[vo, 10] > 0)
      printf "- %s: server user CPU/call, our server / Volo server, both under our client = %.2f\n", t, m[oo, 10] / m[vo, 10]
    if (((ov, 10) in m) && ((vv, 10) in m) && m[vv, 10] > 0)
      printf "- %s: server user CPU/call, our server / Volo server, both under Volo client = %.2f\n", t, m[ov, 10] / m[vv, 10]
  }
}' "$1"
