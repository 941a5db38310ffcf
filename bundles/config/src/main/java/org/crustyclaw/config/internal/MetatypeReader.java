package org.crustyclaw.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** Parses an OSGi Metatype 1.x document into {@link Schema.Ocd}s, one per designated PID. */
final class MetatypeReader {

    private MetatypeReader() {}

    static List<Schema.Ocd> read(InputStream in, String origin) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = factory.newDocumentBuilder().parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(origin + ": not a metatype document: " + e.getMessage(), e);
        }
        Map<String, Element> ocds = new HashMap<>();
        for (Element ocd : children(doc.getDocumentElement(), "OCD")) {
            ocds.put(ocd.getAttribute("id"), ocd);
        }
        List<Schema.Ocd> result = new ArrayList<>();
        for (Element designate : children(doc.getDocumentElement(), "Designate")) {
            String pid = designate.getAttribute("pid");
            if (pid.isEmpty()) {
                pid = designate.getAttribute("factoryPid");
            }
            for (Element object : children(designate, "Object")) {
                Element ocd = ocds.get(object.getAttribute("ocdref"));
                if (ocd != null && !pid.isEmpty()) {
                    result.add(toOcd(pid, ocd, origin));
                }
            }
        }
        return result;
    }

    private static Schema.Ocd toOcd(String pid, Element ocd, String origin) {
        Map<String, Schema.Attr> attrs = new LinkedHashMap<>();
        for (Element ad : children(ocd, "AD")) {
            String cardinality = ad.getAttribute("cardinality");
            List<String> options = new ArrayList<>();
            for (Element option : children(ad, "Option")) {
                options.add(option.getAttribute("value"));
            }
            String defaults = ad.getAttribute("default");
            attrs.put(ad.getAttribute("id"), new Schema.Attr(ad.getAttribute("id"),
                    ad.getAttribute("type").isEmpty() ? "String" : ad.getAttribute("type"),
                    cardinality.isEmpty() ? 0 : Integer.parseInt(cardinality),
                    ad.hasAttribute("default") ? splitDefaults(defaults) : List.of(),
                    List.copyOf(options), optional(ad, "min"), optional(ad, "max"), ad.getAttribute("description")));
        }
        return new Schema.Ocd(pid, ocd.getAttribute("name"), ocd.getAttribute("description"), attrs, origin);
    }

    private static Optional<String> optional(Element e, String attribute) {
        return e.hasAttribute(attribute) ? Optional.of(e.getAttribute(attribute)) : Optional.empty();
    }

    /** Metatype defaults are comma separated; a backslash escapes a comma or backslash. */
    static List<String> splitDefaults(String text) {
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(text.charAt(++i));
            } else if (c == ',') {
                values.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!text.isEmpty()) {
            values.add(current.toString().strip());
        }
        return List.copyOf(values);
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && localName.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
                found.add(e);
            }
        }
        return found;
    }
}
