#!/usr/bin/env python3
"""Speaks the benchmark pitches (bench/deck_quality/pitches/*.json) with Debian's voices and
packs each recording as a phone would: MP4, AAC 48 kHz stereo, a plain 320x180 picture.

  make_corpus.py OUTDIR [--only ID[,ID...]] [--variants N] [--as VOICE:RATE:ROOM]

For every pitch, `--variants` (default 4) recordings from this rotation of voices, speaking
rates and rooms (so the corpus has 6 voices, 2 rates, dry and room for each rate):
  voices: festival cmu_us_slt_arctic_hts (female, HTS), festival kal_diphone and
          ked_diphone (male, diphone), flite rms, awb and slt (male, male Scottish, female)
  rates:  normal, fast (durations x 0.85)
  rooms:  dry; room = a small-room echo, a laptop microphone's band (120 Hz-7 kHz) and hiss
--as speaks each pitch once, with that voice, rate and room (the CTest test's two pitches).
Recordings already in OUTDIR are kept. Writes OUTDIR/NAME.mp4 and OUTDIR/NAME.json, NAME = ID__VOICE__RATE__ROOM: the pitch's
truth plus the recording ("voice", "rate", "room") and each sentence's "start"/"end"
(seconds, measured on the synthesised audio), and OUTDIR/NAME.txt (the words said).
"""
import array
import json
import os
import subprocess
import sys
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
RATE = 16000
LEAD_S = 0.6

VOICES = {
    "slt_hts": ("festival", "(voice_cmu_us_slt_arctic_hts)"),
    "kal": ("festival", "(voice_kal_diphone)"),
    "ked": ("festival", "(voice_ked_diphone)"),
    "flite_rms": ("flite", "rms"),
    "flite_awb": ("flite", "awb"),
    "flite_slt": ("flite", "slt"),
}
STRETCH = {"normal": 1.0, "fast": 0.85}
ROTATION = [  # (voice, rate, room); pitch i starts at offset 2*i
    ("slt_hts", "normal", "dry"), ("flite_rms", "fast", "room"), ("kal", "fast", "dry"),
    ("flite_awb", "normal", "room"), ("ked", "normal", "dry"), ("flite_slt", "fast", "room"),
    ("slt_hts", "fast", "room"), ("flite_rms", "normal", "dry"), ("kal", "normal", "room"),
    ("flite_awb", "fast", "dry"), ("ked", "fast", "room"), ("flite_slt", "normal", "dry"),
]
# Pauses between sentences vary as a speaker's do (seconds, cycled).
PAUSES = [0.55, 0.8, 0.45, 0.95, 0.6, 0.7, 1.1, 0.5]
# A small room heard through a laptop's microphone: early reflections, the band such a
# microphone passes (about 120 Hz to 7 kHz), a little hiss added after (see record()).
ROOM_FILTER = ("aecho=0.8:0.6:17|37|59:0.25|0.15|0.08,highpass=f=120,lowpass=f=7000,"
               "volume=0.9")


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def ffmpeg(*args):
    run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args])


def read_pcm16(path):
    with wave.open(path, "rb") as w:
        data = array.array("h", w.readframes(w.getnframes()))
    return data


def loud_frames(samples):
    """Indices of the 10 ms frames clearly above the file's silence."""
    hop = RATE // 100
    for i in range(0, len(samples) - hop, hop):
        frame = samples[i:i + hop]
        if (sum(x * x for x in frame) / hop) ** 0.5 > 300:
            yield i


def speech_span(samples):
    """(first, last) second of speech in a synthesised sentence."""
    loud = list(loud_frames(samples))
    if not loud:
        return 0.0, len(samples) / RATE
    return loud[0] / RATE, (loud[-1] + RATE // 100) / RATE


def speak(text, voice, rate, out_wav, scratch):
    engine, name = VOICES[voice]
    raw = scratch + ".raw.wav"
    if engine == "festival":
        # Diphone voices follow Duration_Stretch; the HTS engine has its own speed ("-r").
        speed = 1.0 / STRETCH[rate]
        setup = (f"(begin {name} (Parameter.set 'Duration_Stretch {STRETCH[rate]}) "
                 f"(if (boundp 'hts_engine_params) (set! hts_engine_params (append "
                 f"hts_engine_params (list (list \"-r\" {speed:.3f}))))))")
        run(["text2wave", "-eval", setup, "-o", raw], input=text.encode())
    else:
        with open(scratch + ".txt", "w") as f:
            f.write(text)
        run(["flite", "-voice", name, "--setf", f"duration_stretch={STRETCH[rate]}",
             "-f", scratch + ".txt", "-o", raw])
    ffmpeg("-i", raw, "-ac", "1", "-ar", str(RATE), "-c:a", "pcm_s16le", out_wav)
    os.remove(raw)


def record(pitch, voice, rate, room, outdir):
    name = f"{pitch['id']}__{voice}__{rate}__{room}"
    if os.path.exists(os.path.join(outdir, name + ".mp4")):
        return name  # already spoken (delete it to speak it again)
    scratch = os.path.join(outdir, "." + name)
    pcm = array.array("h", [0] * int(LEAD_S * RATE))
    sentences = []
    for i, s in enumerate(pitch["sentences"]):
        part = scratch + f".{i}.wav"
        speak(s["text"], voice, rate, part, scratch)
        samples = read_pcm16(part)
        os.remove(part)
        first, last = speech_span(samples)
        at = len(pcm) / RATE
        sentences.append(dict(s, start=round(at + first, 3), end=round(at + last, 3)))
        pcm.extend(samples)
        pcm.extend([0] * int(PAUSES[i % len(PAUSES)] * RATE))
    if os.path.exists(scratch + ".txt"):
        os.remove(scratch + ".txt")
    wav = scratch + ".wav"
    with wave.open(wav, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    picture = ["-f", "lavfi", "-i", "color=c=0x34495e:s=320x180:r=30"]
    if room == "room":
        audio = ["-i", wav, "-f", "lavfi", "-i", "anoisesrc=r=16000:a=0.003:c=white:seed=11",
                 *picture, "-filter_complex",
                 f"[0:a]{ROOM_FILTER}[r];[r][1:a]amix=inputs=2:duration=first:normalize=0[a]",
                 "-map", "[a]", "-map", "2:v"]
    else:
        audio = ["-i", wav, *picture, "-map", "0:a", "-map", "1:v"]
    ffmpeg(*audio, "-shortest", "-c:v", "libx264", "-preset", "veryfast",
           "-c:a", "aac", "-ac", "2", "-ar", "48000", os.path.join(outdir, name + ".mp4"))
    os.remove(wav)
    truth = dict(pitch, voice=voice, rate=rate, room=room, sentences=sentences,
                 duration=round(len(pcm) / RATE, 3))
    with open(os.path.join(outdir, name + ".json"), "w") as f:
        json.dump(truth, f, indent=1)
    with open(os.path.join(outdir, name + ".txt"), "w") as f:
        f.write(" ".join(s["text"] for s in pitch["sentences"]) + "\n")
    return name


def main():
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        sys.exit(__doc__)  # OUTDIR comes first: "--help" is no folder to fill
    outdir = os.path.abspath(sys.argv[1])
    only, variants, forced = None, 4, None
    args = sys.argv[2:]
    while args:
        flag = args.pop(0)
        if flag == "--only":
            only = set(args.pop(0).split(","))
        elif flag == "--variants":
            variants = int(args.pop(0))
        elif flag == "--as":
            forced = tuple(args.pop(0).split(":"))
            if len(forced) != 3 or forced[0] not in VOICES or forced[1] not in STRETCH:
                sys.exit(f"make_corpus: --as VOICE:RATE:ROOM, voices {sorted(VOICES)}")
        else:
            sys.exit(__doc__)
    os.makedirs(outdir, exist_ok=True)
    pitch_dir = os.path.join(HERE, "pitches")
    files = sorted(f for f in os.listdir(pitch_dir) if f.endswith(".json"))
    for index, f in enumerate(files):
        pitch = json.load(open(os.path.join(pitch_dir, f)))
        if only and pitch["id"] not in only:
            continue
        if forced:
            print(record(pitch, *forced, outdir), flush=True)
            continue
        for v in range(variants):
            voice, rate, room = ROTATION[(2 * index + v) % len(ROTATION)]
            print(record(pitch, voice, rate, room, outdir), flush=True)


if __name__ == "__main__":
    main()
