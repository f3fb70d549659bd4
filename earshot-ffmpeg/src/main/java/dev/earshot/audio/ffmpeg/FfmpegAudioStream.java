package dev.earshot.audio.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_probe_input_buffer2;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import dev.earshot.audio.AudioFormat;
import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioInputException.Problem;
import dev.earshot.audio.AudioStream;
import dev.earshot.audio.SampleEncoding;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.javacpp.BytePointer;

/**
 * One input decoded by FFmpeg: the best audio stream of the container, every channel, at the stored rate
 * (no resampling or down-mixing here: earshot's own {@code Mixdown} and {@code Resampler} follow).
 *
 * <p>Implementation notes.
 * <ul>
 *   <li>Only audio demuxers are allowed ({@link #DEMUXERS}); input comes through {@link CustomIo}, so no
 *       protocol is ever opened.
 *   <li>Decoders run with FFmpeg's stricter error detection (CRC, bitstream and buffer checks). A packet
 *       the demuxer or the decoder rejects is {@link Problem#CORRUPT}: FFmpeg's command line would skip it
 *       with a warning, earshot never returns a silently shortened clip.
 *   <li>Truncation: when the container declares a length (an MP3 Xing/Info header, an MP4 index, the last
 *       Ogg page) and the decoded length falls short of it by more than 1024 samples and 0.1%, the stream is
 *       {@link Problem#TRUNCATED}, as is a file that ends inside its headers or an MP4 without its index.
 *       A length estimated from the bit rate is not a declaration and is not checked, and a cut shorter
 *       than about one codec frame can go unnoticed. Formats without checksums (most MP3) can carry
 *       damage the decoder does not detect; Ogg pages and FLAC frames are checked.
 *   <li>Samples are scaled like the WAV reader: signed b-bit integers by 2^(b-1), unsigned 8-bit as
 *       (v-128)/128; float output (MP3, AAC, Vorbis, Opus decoders) is passed through.
 *   <li>Encoder delay and padding are removed as the container says (FFmpeg's skip-samples side data), as
 *       the ffmpeg command line does.
 * </ul>
 */
final class FfmpegAudioStream implements AudioStream {
  /** The demuxers FFmpeg may use (names as FFmpeg lists them; "mov" covers MP4/M4A/3GP). */
  static final String DEMUXERS = String.join(",", "mp3", "ogg", "mov", "aac", "flac", "wav", "w64", "matroska",
      "aiff", "caf", "au", "amr", "ac3", "eac3", "dts", "wv", "ape", "asf", "tta", "mpc", "mpc8", "wsaud", "voc");
  private static final int AVFMT_FLAG_CUSTOM_IO = 0x0080;
  private static final int AV_EF_CRCCHECK = 1;
  private static final int AV_EF_BITSTREAM = 1 << 1;
  private static final int AV_EF_BUFFER = 1 << 2;

  private final String source;
  private final Path file;
  private final CustomIo io;
  private AVFormatContext format;
  private AVCodecContext codec;
  private AVPacket packet;
  private AVFrame frame;
  private final int streamIndex;
  private final AudioFormat audioFormat;
  private final long declaredFrames;
  private final String description;

  // decoded samples not yet handed out: pending[c][pendingStart .. pendingEnd)
  private float[][] pending;
  private int pendingStart;
  private int pendingEnd;
  private long delivered;
  private boolean demuxerDone;
  private boolean decoderDone;

  FfmpegAudioStream(ByteSource bytes, String source, Path file) {
    FfmpegNatives.ensureLoaded();
    this.source = source;
    this.file = file;
    this.io = new CustomIo(bytes);
    try {
      this.format = avformat_alloc_context();
      format.pb(io.context());
      format.flags(format.flags() | AVFMT_FLAG_CUSTOM_IO);
      AVDictionary options = new AVDictionary(null);
      av_dict_set(options, "format_whitelist", DEMUXERS, 0);
      av_dict_set(options, "protocol_whitelist", "none", 0);
      // Probe first, so that "not a format FFmpeg knows" and "a known format, damaged" are told apart.
      AVInputFormat probed = new AVInputFormat(null);
      int r = av_probe_input_buffer2(io.context(), probed, (String) null, null, 0, 0);
      if (r < 0 || probed.isNull()) {
        av_dict_free(options);
        checkIo();
        throw error(r == AVERROR_EOF ? Problem.EMPTY : Problem.UNSUPPORTED_FORMAT,
            "unrecognised audio container (FFmpeg: " + message(r) + ")");
      }
      String demuxer = shortName(probed.name().getString());
      r = avformat_open_input(format, (String) null, probed, options);
      av_dict_free(options);
      if (r < 0) {
        format = null; // avformat_open_input frees the context on failure
        checkIo();
        throw openError(demuxer, r);
      }
      r = avformat_find_stream_info(format, (AVDictionary) null);
      if (r < 0) {
        checkIo();
        throw error(Problem.CORRUPT, "cannot read the stream parameters: " + message(r));
      }
      this.streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
      if (streamIndex < 0) {
        throw error(Problem.UNSUPPORTED_FORMAT, "no audio stream in this " + containerName() + " file");
      }
      AVStream stream = format.streams(streamIndex);
      AVCodecParameters par = stream.codecpar();
      AVCodec decoder = avcodec_find_decoder(par.codec_id());
      if (decoder == null || decoder.isNull()) {
        throw error(Problem.UNSUPPORTED_FORMAT, "no decoder for codec id " + par.codec_id());
      }
      this.codec = avcodec_alloc_context3(decoder);
      r = avcodec_parameters_to_context(codec, par);
      if (r < 0) {
        throw error(Problem.CORRUPT, "bad codec parameters: " + message(r));
      }
      codec.err_recognition(codec.err_recognition() | AV_EF_CRCCHECK | AV_EF_BITSTREAM | AV_EF_BUFFER);
      codec.thread_count(1);
      r = avcodec_open2(codec, decoder, (AVDictionary) null);
      if (r < 0) {
        throw error(Problem.CORRUPT, "cannot open the " + decoder.name().getString() + " decoder: " + message(r));
      }
      int channels = codec.ch_layout().nb_channels();
      int rate = codec.sample_rate();
      if (channels < 1 || rate < 1) {
        throw error(Problem.CORRUPT, "the stream declares " + channels + " channels at " + rate + " Hz");
      }
      this.declaredFrames = declaredFrames(stream, rate);
      String codecName = decoder.name().getString();
      this.description = containerName() + "/" + codecName;
      int bits = bitsOf(par.format(), par.bits_per_raw_sample());
      this.audioFormat = new AudioFormat(description, SampleEncoding.COMPRESSED, bits, channels, rate,
          Math.max(declaredFrames, 0), false);
      this.packet = av_packet_alloc();
      this.frame = av_frame_alloc();
      this.pending = new float[channels][0];
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public AudioFormat format() {
    return audioFormat;
  }

  @Override
  public int read(float[][] buffer) {
    while (pendingEnd - pendingStart == 0) {
      if (decoderDone) {
        checkLength();
        return -1;
      }
      decodeMore();
    }
    int n = Math.min(buffer[0].length, pendingEnd - pendingStart);
    for (int c = 0; c < buffer.length; c++) {
      System.arraycopy(pending[c], pendingStart, buffer[c], 0, n);
    }
    pendingStart += n;
    delivered += n;
    return n;
  }

  /** Feeds the decoder until it gives a frame or the stream ends. */
  private void decodeMore() {
    int r = avcodec_receive_frame(codec, frame);
    if (r == 0) {
      take(frame);
      av_frame_unref(frame);
      return;
    }
    if (r == AVERROR_EOF) {
      decoderDone = true;
      return;
    }
    if (r != AVERROR_EAGAIN) {
      throw decodeError(r);
    }
    if (demuxerDone) {
      decoderDone = true;
      return;
    }
    r = av_read_frame(format, packet);
    if (r == AVERROR_EOF) {
      demuxerDone = true;
      checkIo();
      avcodec_send_packet(codec, null); // drain
      return;
    }
    if (r < 0) {
      checkIo();
      throw error(r == AVERROR_INVALIDDATA ? Problem.CORRUPT : Problem.UNREADABLE,
          "damaged " + containerName() + " data near " + timeOfDelivered() + ": " + message(r));
    }
    try {
      if (packet.stream_index() == streamIndex) {
        r = avcodec_send_packet(codec, packet);
        if (r < 0 && r != AVERROR_EAGAIN) {
          throw decodeError(r);
        }
      }
    } finally {
      av_packet_unref(packet);
    }
  }

  private AudioInputException openError(String demuxer, int r) {
    String container = displayName(demuxer);
    if (!(","+ DEMUXERS + ",").contains("," + demuxer + ",")) {
      return error(Problem.UNSUPPORTED_FORMAT, "the " + container + " container is not an audio format earshot"
          + " reads (FFmpeg demuxers allowed: " + DEMUXERS + ")");
    }
    if (r == AVERROR_EOF) {
      return error(Problem.TRUNCATED, "the " + container + " file ends inside its headers (file truncated)");
    }
    if (demuxer.equals("mov") && r == AVERROR_INVALIDDATA) {
      return error(Problem.TRUNCATED, "the MP4 index (moov atom) is missing or damaged: the file is truncated or was"
          + " never finished (" + message(r) + ")");
    }
    return error(Problem.CORRUPT, "cannot read the " + container + " headers: " + message(r));
  }

  private static String shortName(String demuxerNames) {
    int comma = demuxerNames.indexOf(',');
    return comma > 0 ? demuxerNames.substring(0, comma) : demuxerNames;
  }

  private AudioInputException decodeError(int r) {
    return error(Problem.CORRUPT, "the " + description + " decoder rejects the data near " + timeOfDelivered()
        + ": " + message(r));
  }

  private void take(AVFrame f) {
    int n = f.nb_samples();
    int channels = pending.length;
    if (f.ch_layout().nb_channels() != channels || f.sample_rate() != audioFormat.sampleRateHz()) {
      throw error(Problem.UNSUPPORTED_FORMAT, "the stream changes from " + channels + " channels at "
          + audioFormat.sampleRateHz() + " Hz to " + f.ch_layout().nb_channels() + " at " + f.sample_rate()
          + " Hz near " + timeOfDelivered() + " (chained or concatenated streams are not supported)");
    }
    if (pending[0].length < n) {
      for (int c = 0; c < channels; c++) {
        pending[c] = new float[Math.max(n, 4096)];
      }
    }
    SampleConversion.toFloat(f, n, channels, pending);
    for (int c = 0; c < channels; c++) {
      float[] x = pending[c];
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(x[i])) {
          throw error(Problem.NON_FINITE_SAMPLES, "sample " + (delivered + i) + " of channel " + c + " is " + x[i]
              + " (NaN or infinite samples are not audio)");
        }
      }
    }
    pendingStart = 0;
    pendingEnd = n;
  }

  private void checkLength() {
    if (delivered == 0) {
      throw error(Problem.EMPTY, "the " + description + " stream holds no samples");
    }
    if (declaredFrames > 0 && delivered < declaredFrames - Math.max(1024, declaredFrames / 1000)) {
      throw error(Problem.TRUNCATED, "decoded " + delivered + " samples per channel, the " + containerName()
          + " header declares " + declaredFrames + " (file truncated)");
    }
  }

  /** The stream's declared length in samples, or -1 when the container only estimates it. */
  private long declaredFrames(AVStream stream, int rate) {
    if (format.duration_estimation_method() == avformat.AVFMT_DURATION_FROM_BITRATE) {
      return -1;
    }
    long duration = stream.duration();
    AVRational tb = stream.time_base();
    if (duration == AV_NOPTS_VALUE || duration <= 0 || tb.den() == 0) {
      return -1;
    }
    return Math.round(duration * (double) tb.num() / tb.den() * rate);
  }

  private static int bitsOf(int sampleFormat, int rawBits) {
    if (rawBits > 0) {
      return rawBits;
    }
    return 32;
  }

  private String containerName() {
    if (format == null || format.iformat() == null) {
      return "audio";
    }
    return displayName(shortName(format.iformat().name().getString()));
  }

  /** FFmpeg's demuxer name as users know the container: "mov" is MP4/M4A, "ogg" Ogg, and so on. */
  private static String displayName(String demuxer) {
    switch (demuxer) {
      case "mov":
        return "MP4";
      case "ogg":
        return "Ogg";
      case "matroska":
        return "Matroska";
      case "asf":
        return "ASF";
      default:
        return demuxer.toUpperCase(Locale.ROOT);
    }
  }

  private String timeOfDelivered() {
    double seconds = audioFormat == null ? 0 : (delivered + pendingEnd) / (double) audioFormat.sampleRateHz();
    return String.format(Locale.ROOT, "%.2f s", seconds);
  }

  private void checkIo() {
    if (io.failure() != null) {
      String reason = io.failure().getMessage() == null ? io.failure().getClass().getSimpleName()
          : io.failure().getMessage();
      throw error(Problem.UNREADABLE, reason);
    }
  }

  private AudioInputException error(Problem problem, String detail) {
    return file != null ? new AudioInputException(file, problem, detail)
        : new AudioInputException(source, problem, detail, null);
  }

  static final int AVERROR_INVALIDDATA = -(('I') | ('N' << 8) | ('D' << 16) | ('A' << 24));
  static final int AVERROR_EAGAIN = -11;

  static String message(int error) {
    byte[] buf = new byte[256];
    if (av_strerror(error, buf, buf.length) < 0) {
      return "error " + error;
    }
    int end = 0;
    while (end < buf.length && buf[end] != 0) {
      end++;
    }
    return new String(buf, 0, end, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (frame != null) {
      av_frame_free(frame);
      frame = null;
    }
    if (packet != null) {
      av_packet_free(packet);
      packet = null;
    }
    if (codec != null) {
      avcodec_free_context(codec);
      codec = null;
    }
    if (format != null) {
      avformat_close_input(format);
      format = null;
    }
    io.close();
  }

  @Override
  public String toString() {
    return source + " (" + description + ", " + Arrays.toString(new int[] {audioFormat.channels(),
        audioFormat.sampleRateHz()}) + ")";
  }
}
