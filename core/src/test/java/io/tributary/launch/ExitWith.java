package io.tributary.launch;

/** A child application that prints a line and exits with the status it is given. */
public final class ExitWith {
  public static void main(String[] args) {
    System.out.println("RAN " + args[0]);
    System.exit(Integer.parseInt(args[0]));
  }
}
