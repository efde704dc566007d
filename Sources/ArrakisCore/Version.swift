public enum ArrakisVersion {
  public static let string = "0.1.0"
}
