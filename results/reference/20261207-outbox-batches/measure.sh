#!/bin/bash
# usage: measure.sh outdir -- four alternating pairs at 500,000 offered, then two profiled pairs (base: 397eadc in /tmp/base, new: aa91489 in /tmp/new)
out=$1
/tmp/ab3.sh $out/ab 500000 4 /tmp/base /tmp/new
/tmp/ab3.sh $out/profiled 500000 2 /tmp/base /tmp/new --profile
