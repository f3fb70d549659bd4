package dev.earshot.audio.synth;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Notes written as a Standard MIDI File (format 0, one track, 120 bpm, 480 ticks per quarter note: 960 ticks per
 * second), for a SoundFont synthesiser to render. Each note selects its General MIDI program on its channel just
 * before it starts; channel 9 is the percussion channel, where the program selects the drum kit and the key the
 * drum.
 */
public final class MidiScore {
  /** The General MIDI percussion channel (channel 10 counted from 1). */
  public static final int PERCUSSION = 9;
  static final int TICKS_PER_SECOND = 960;

  /**
   * One note.
   *
   * @param channel 0..15 (9 = percussion)
   * @param program General MIDI program 0..127 (on channel 9: the drum kit)
   * @param key MIDI key 0..127 (on channel 9: the drum)
   * @param velocity 1..127
   * @param onsetSeconds start time
   * @param durationSeconds time until the key is released
   */
  public record Note(int channel, int program, int key, int velocity, double onsetSeconds, double durationSeconds) {
    public Note {
      if (channel < 0 || channel > 15 || program < 0 || program > 127 || key < 0 || key > 127 || velocity < 1
          || velocity > 127 || !(onsetSeconds >= 0) || !(durationSeconds > 0)) {
        throw new IllegalArgumentException("not a playable note: " + this);
      }
    }
  }

  private record Event(long tick, int order, byte[] bytes) {}

  private final List<Note> notes = new ArrayList<>();

  /** Adds a note; returns this score. */
  public MidiScore add(Note note) {
    notes.add(note);
    return this;
  }

  /** The notes added so far. */
  public List<Note> notes() {
    return List.copyOf(notes);
  }

  /** The end of the last note, in seconds. */
  public double endSeconds() {
    return notes.stream().mapToDouble(n -> n.onsetSeconds() + n.durationSeconds()).max().orElse(0);
  }

  /** The Standard MIDI File. */
  public byte[] toBytes() {
    List<Event> events = new ArrayList<>();
    for (Note n : notes) {
      long on = Math.round(n.onsetSeconds() * TICKS_PER_SECOND);
      long off = Math.max(on + 1, Math.round((n.onsetSeconds() + n.durationSeconds()) * TICKS_PER_SECOND));
      // order within a tick: releases, then program changes, then key presses
      events.add(new Event(on, 1, new byte[] {(byte) (0xC0 | n.channel()), (byte) n.program()}));
      events.add(new Event(on, 2, new byte[] {(byte) (0x90 | n.channel()), (byte) n.key(), (byte) n.velocity()}));
      events.add(new Event(off, 0, new byte[] {(byte) (0x80 | n.channel()), (byte) n.key(), 0}));
    }
    events.sort(Comparator.comparingLong(Event::tick).thenComparingInt(Event::order));
    ByteArrayOutputStream track = new ByteArrayOutputStream();
    long last = 0;
    for (Event e : events) {
      writeVarLength(track, e.tick() - last);
      track.writeBytes(e.bytes());
      last = e.tick();
    }
    writeVarLength(track, TICKS_PER_SECOND / 2); // half a second of release before the end
    track.writeBytes(new byte[] {(byte) 0xFF, 0x2F, 0x00});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0x01, (byte) 0xE0}); // 480 per quarter
    out.writeBytes(new byte[] {'M', 'T', 'r', 'k'});
    int length = track.size();
    out.writeBytes(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
    out.writeBytes(track.toByteArray());
    return out.toByteArray();
  }

  /** MIDI's variable-length quantity: 7 bits per byte, most significant first, high bit set on all but the last. */
  static void writeVarLength(ByteArrayOutputStream out, long value) {
    if (value < 0 || value > 0x0FFFFFFF) {
      throw new IllegalArgumentException("delta time out of range: " + value);
    }
    int shift = 21;
    while (shift > 0 && (value >>> shift) == 0) {
      shift -= 7;
    }
    for (; shift > 0; shift -= 7) {
      out.write((int) (0x80 | ((value >>> shift) & 0x7F)));
    }
    out.write((int) (value & 0x7F));
  }
}
