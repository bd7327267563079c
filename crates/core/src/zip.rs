//! A small ZIP writer for the Office files made on the device (the XLSX export, the DOCX report):
//! entries stored uncompressed, as those formats allow, so no compression library is shipped.

/// An uncompressed ("stored") ZIP archive.
#[derive(Default)]
pub struct Zip {
    bytes: Vec<u8>,
    directory: Vec<u8>,
    entries: u16,
}

impl Zip {
    pub fn add(&mut self, name: &str, content: &str) {
        let (name, content) = (name.as_bytes(), content.as_bytes());
        let crc = crc32(content);
        let size = u32::try_from(content.len()).unwrap_or(u32::MAX);
        let offset = u32::try_from(self.bytes.len()).unwrap_or(u32::MAX);
        // Version 2.0, flag bit 11 (names are UTF-8), method 0 (stored), a fixed time: 1980-01-01.
        let common = |out: &mut Vec<u8>| {
            for half in [20u16, 1 << 11, 0, 0, 0x21] {
                out.extend_from_slice(&half.to_le_bytes());
            }
            for word in [crc, size, size] {
                out.extend_from_slice(&word.to_le_bytes());
            }
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
        };
        self.bytes.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut self.bytes);
        self.bytes.extend_from_slice(name);
        self.bytes.extend_from_slice(content);

        self.directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.directory.extend_from_slice(&20u16.to_le_bytes());
        common(&mut self.directory);
        // Comment length, disk, internal and external attributes, then the local header's offset.
        for half in [0u16, 0, 0] {
            self.directory.extend_from_slice(&half.to_le_bytes());
        }
        self.directory.extend_from_slice(&0u32.to_le_bytes());
        self.directory.extend_from_slice(&offset.to_le_bytes());
        self.directory.extend_from_slice(name);
        self.entries += 1;
    }

    pub fn finish(mut self) -> Vec<u8> {
        let offset = u32::try_from(self.bytes.len()).unwrap_or(u32::MAX);
        let size = u32::try_from(self.directory.len()).unwrap_or(u32::MAX);
        self.bytes.append(&mut self.directory);
        self.bytes.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for half in [0u16, 0, self.entries, self.entries] {
            self.bytes.extend_from_slice(&half.to_le_bytes());
        }
        self.bytes.extend_from_slice(&size.to_le_bytes());
        self.bytes.extend_from_slice(&offset.to_le_bytes());
        self.bytes.extend_from_slice(&0u16.to_le_bytes());
        self.bytes
    }
}

/// CRC-32 (IEEE), as ZIP requires for every entry.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The entries of a stored ZIP as (name, content), checking every CRC: what a reader sees.
#[cfg(test)]
pub fn entries(zip: &[u8]) -> Vec<(String, String)> {
    let read16 = |at: usize| u16::from_le_bytes([zip[at], zip[at + 1]]) as usize;
    let read32 = |at: usize| u32::from_le_bytes(zip[at..at + 4].try_into().unwrap());
    let mut entries = Vec::new();
    let mut at = 0;
    while read32(at) == 0x0403_4b50 {
        let (crc, size, name_length) = (read32(at + 14), read32(at + 18) as usize, read16(at + 26));
        let name = String::from_utf8(zip[at + 30..at + 30 + name_length].to_vec()).unwrap();
        let content = &zip[at + 30 + name_length..at + 30 + name_length + size];
        assert_eq!(crc32(content), crc, "{name}");
        entries.push((name, String::from_utf8(content.to_vec()).unwrap()));
        at += 30 + name_length + size;
    }
    assert_eq!(
        read32(at),
        0x0201_4b50,
        "the central directory follows the entries"
    );
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }
}
