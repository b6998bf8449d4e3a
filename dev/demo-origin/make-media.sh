#!/usr/bin/env bash
# Generates the demo media served by dev/demo-origin (run once; the output is committed).
#
#   dev/demo-origin/make-media.sh            # writes dev/demo-origin/src/main/resources/media/
#   dev/demo-origin/make-media.sh OUT_DIR    # writes elsewhere (e.g. to compare two runs)
#
# Needs ffmpeg with libx264 and the native aac encoder (Debian/Ubuntu: apt-get install -y ffmpeg).
# Made with ffmpeg 5.1 (Debian 12); the parameters are fixed and the output bit-exact, so two runs
# with the same ffmpeg build give identical files.
#
# What it makes: one demo channel loop of SEGMENTS x SEGMENT_SECONDS (8 x 2 s), MPEG-TS, H.264 main
# + AAC-LC mono, in two renditions, each in two forensic variants:
#   media/<rendition>/A/seg-<i>.ts   the clean picture
#   media/<rendition>/B/seg-<i>.ts   the same picture with a faint (5 %) white square in the bottom right
#                                    corner: imperceptible, deterministic, byte-different
#   media/manifest.properties        segment count and duration, renditions with BANDWIDTH/RESOLUTION/CODECS
# Each variant is one continuous 16 s encode (testsrc2 + a beeping 440 Hz sine) with a keyframe forced at
# every segment start, split with the segment muxer without resetting timestamps: within the loop the
# timestamps run on, so consecutive segments play smoothly, and A and B segments of the same index carry
# the same timestamps and durations (a player can switch variant at any segment boundary). When the loop
# restarts the timestamps jump back; the origin marks that with EXT-X-DISCONTINUITY.
# Every segment is its own MPEG-TS stream (PAT/PMT first, continuity counters from 0) whose first packet of each
# PID carries the discontinuity indicator (mpegts_flags=initial_discontinuity), so any sequence of A and B
# segments demuxes without continuity-counter errors.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE/src/main/resources/media}"
SEGMENTS=8
SEGMENT_SECONDS=2
FPS=25
TOTAL=$((SEGMENTS * SEGMENT_SECONDS))
# H.264 Main profile, level 3.0 (avc1.4d401e); AAC-LC (mp4a.40.2).
CODECS="avc1.4d401e,mp4a.40.2"
# rendition name, size, video bitrate (kbit/s)
RENDITIONS=("180p 320x180 50" "360p 640x360 100")
# Variant B's mark: a 16x16 square at 5 % white, 8 px from the bottom right corner.
MARK_B="drawbox=x=iw-24:y=ih-24:w=16:h=16:color=white@0.05:t=fill"

command -v ffmpeg >/dev/null || { echo "ffmpeg not found (apt-get install -y ffmpeg)" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"

encode() { # rendition size kbps variant
  local rendition="$1" size="$2" kbps="$3" variant="$4"
  local dir="$OUT/$rendition/$variant"
  local vf="format=yuv420p"
  [ "$variant" = B ] && vf="$MARK_B,format=yuv420p"
  mkdir -p "$dir"
  ffmpeg -hide_banner -loglevel error -nostdin -y \
    -f lavfi -i "testsrc2=size=$size:rate=$FPS:duration=$TOTAL" \
    -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=$TOTAL" \
    -map 0:v -map 1:a -vf "$vf" \
    -c:v libx264 -preset medium -profile:v main -level:v 3.0 -threads 1 \
    -b:v "${kbps}k" -maxrate "$((kbps * 5 / 4))k" -bufsize "$((kbps * 2))k" \
    -g $((FPS * SEGMENT_SECONDS)) -keyint_min $((FPS * SEGMENT_SECONDS)) -sc_threshold 0 \
    -force_key_frames "expr:gte(t,n_forced*$SEGMENT_SECONDS)" \
    -c:a aac -b:a 24k -ac 1 -ar 48000 \
    -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
    -f segment -segment_time "$SEGMENT_SECONDS" -segment_format mpegts -reset_timestamps 0 \
    -segment_format_options "pat_period=1:sdt_period=2:mpegts_flags=initial_discontinuity" \
    -segment_start_number 0 "$dir/seg-%d.ts"
  local count
  count=$(find "$dir" -name 'seg-*.ts' | wc -l)
  [ "$count" -eq "$SEGMENTS" ] || { echo "$dir: $count segments, expected $SEGMENTS" >&2; exit 1; }
}

{
  echo "# Demo media made by dev/demo-origin/make-media.sh: do not edit by hand."
  echo "segment.count=$SEGMENTS"
  echo "segment.duration.seconds=$SEGMENT_SECONDS"
  echo "variants=A,B"
} > "$OUT/manifest.properties.tmp"

names=()
for spec in "${RENDITIONS[@]}"; do
  read -r rendition size kbps <<<"$spec"
  names+=("$rendition")
  encode "$rendition" "$size" "$kbps" A
  encode "$rendition" "$size" "$kbps" B
  for i in $(seq 0 $((SEGMENTS - 1))); do
    cmp -s "$OUT/$rendition/A/seg-$i.ts" "$OUT/$rendition/B/seg-$i.ts" \
      && { echo "$rendition segment $i: A and B are identical" >&2; exit 1; }
  done
  # BANDWIDTH: the peak bit rate over all segments of both variants, rounded up to 1 kbit/s.
  peak=$(find "$OUT/$rendition" -name 'seg-*.ts' -printf '%s\n' | sort -n | tail -1)
  bandwidth=$(( (peak * 8 / SEGMENT_SECONDS + 999) / 1000 * 1000 ))
  {
    echo "rendition.$rendition.bandwidth=$bandwidth"
    echo "rendition.$rendition.resolution=${size}"
    echo "rendition.$rendition.codecs=$CODECS"
  } >> "$OUT/manifest.properties.tmp"
done
(IFS=,; echo "renditions=${names[*]}") >> "$OUT/manifest.properties.tmp"
mv "$OUT/manifest.properties.tmp" "$OUT/manifest.properties"

du -sb "$OUT" | awk '{ printf "demo media: %d bytes in %s\n", $1, $2 }'
