package dev.canopy.deploy;

public final class Canopy {
  public static void main(String[] args) {}
}
