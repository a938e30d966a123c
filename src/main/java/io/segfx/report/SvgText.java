package io.segfx.report;

import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Writes a chart's DOM as compact XML text: the bytes the JDK's identity {@code Transformer} writes
 * for the same tree with no declaration and no indentation (namespace declarations first, then the
 * other attributes in the DOM's order, empty elements as {@code <e/>}, the XML output method's
 * escapes), without the transformer's factory lookup and XSLT machinery per chart. {@code
 * SvgTextTest} checks the equality on every kind of chart, hostile text included.
 */
final class SvgText {
  private SvgText() {}

  /** The element and everything under it as XML text. */
  static String of(Element root) {
    StringBuilder out = new StringBuilder(16384);
    element(root, out);
    return out.toString();
  }

  private static void element(Element e, StringBuilder out) {
    String name = e.getNodeName();
    out.append('<').append(name);
    NamedNodeMap attrs = e.getAttributes();
    int n = attrs.getLength();
    // Namespace declarations go first, as the transformer's serializer emits them.
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < n; i++) {
        Node a = attrs.item(i);
        String an = a.getNodeName();
        boolean declaration = an.equals("xmlns") || an.startsWith("xmlns:");
        if (declaration == (pass == 0)) {
          out.append(' ').append(an).append("=\"");
          escape(a.getNodeValue(), true, out);
          out.append('"');
        }
      }
    }
    if (empty(e)) {
      out.append("/>");
      return;
    }
    out.append('>');
    for (Node child = e.getFirstChild(); child != null; child = child.getNextSibling()) {
      switch (child.getNodeType()) {
        case Node.ELEMENT_NODE -> element((Element) child, out);
        case Node.TEXT_NODE -> escape(child.getNodeValue(), false, out);
        case Node.CDATA_SECTION_NODE ->
            out.append("<![CDATA[").append(child.getNodeValue()).append("]]>");
        case Node.COMMENT_NODE -> out.append("<!--").append(child.getNodeValue()).append("-->");
        default ->
            throw new IllegalStateException(
                "a chart holds a DOM node of type " + child.getNodeType());
      }
    }
    out.append("</").append(name).append('>');
  }

  /** Whether nothing would be written between the tags (empty text, such as a blank label). */
  private static boolean empty(Element e) {
    for (Node child = e.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child.getNodeType() != Node.TEXT_NODE || !child.getNodeValue().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Appends {@code s} escaped as the XML output method does: markup characters as entities, and as
   * character references the C0 controls other than tab and line feed (those two as well inside an
   * attribute, where a parser would turn them into spaces), DEL and the C1 controls in text, and
   * characters beyond the Basic Multilingual Plane (by code point).
   */
  private static void escape(String s, boolean attribute, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append(attribute ? "&quot;" : "\"");
        case '\n' -> out.append(attribute ? "&#10;" : "\n");
        case '\t' -> out.append(attribute ? "&#9;" : "\t");
        default -> {
          if (c < 0x20 || (!attribute && c >= 0x7F && c <= 0x9F)) {
            out.append("&#").append((int) c).append(';');
          } else if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append("&#").append(Character.toCodePoint(c, s.charAt(++i))).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
