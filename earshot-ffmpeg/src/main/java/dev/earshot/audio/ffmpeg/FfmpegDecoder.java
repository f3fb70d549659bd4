package dev.earshot.audio.ffmpeg;

import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioInputException.Problem;
import dev.earshot.audio.AudioStream;
import dev.earshot.audio.ExternalDecoder;
import dev.earshot.audio.MultichannelAudio;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * earshot's {@link ExternalDecoder} on FFmpeg (JavaCPP's presets, an LGPL v3 build): MP3, Ogg Vorbis, Opus,
 * M4A/AAC, and the other audio containers of {@link FfmpegAudioStream#DEMUXERS}. Registered with
 * {@link java.util.ServiceLoader}: having this module on the class path is enough for
 * {@link dev.earshot.audio.AudioFile} to read these formats.
 */
public final class FfmpegDecoder implements ExternalDecoder {
  private static final List<String> EXTENSIONS = List.of(".mp3", ".ogg", ".oga", ".opus", ".m4a", ".mp4", ".aac",
      ".webm", ".mka", ".aif", ".aiff", ".caf", ".wv", ".wma", ".ac3", ".amr", ".ape", ".au");

  @Override
  public String name() {
    return FfmpegNatives.description();
  }

  @Override
  public List<String> fileExtensions() {
    return EXTENSIONS;
  }

  @Override
  public MultichannelAudio decode(byte[] bytes, String source) {
    try (AudioStream s = new FfmpegAudioStream(ByteSource.of(bytes), source, null)) {
      return s.readFully();
    }
  }

  @Override
  public AudioStream open(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file);
    } catch (NoSuchFileException e) {
      throw new AudioInputException(file, Problem.NOT_FOUND, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new AudioInputException(file, Problem.UNREADABLE, "permission denied", e);
    } catch (IOException e) {
      String reason = Files.isDirectory(file) ? "is a directory, not an audio file" : String.valueOf(e.getMessage());
      throw new AudioInputException(file, Problem.UNREADABLE, reason, e);
    }
    return new FfmpegAudioStream(ByteSource.of(channel), file.toString(), file);
  }

  @Override
  public AudioStream open(byte[] bytes, String source) {
    return new FfmpegAudioStream(ByteSource.of(bytes), source, null);
  }

  @Override
  public AudioStream open(InputStream in, String source) {
    return new FfmpegAudioStream(ByteSource.of(in), source, null);
  }
}
