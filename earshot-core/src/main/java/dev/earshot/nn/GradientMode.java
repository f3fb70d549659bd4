package dev.earshot.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches PyTorch's thread-local gradient recording. It is off in the thread that started the engine and
 * on in every other thread, so inference and data threads must switch it off themselves, or every
 * operation on a parameter keeps an autograd graph alive. Loads the engine first (the native call fails
 * before that).
 */
public final class GradientMode {
  private GradientMode() {}

  /** Turns gradient recording off for the calling thread. */
  public static void disableForThisThread() {
    Engine.getInstance();
    JniUtils.setGradMode(false);
  }
}
