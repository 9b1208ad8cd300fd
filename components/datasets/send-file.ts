// Sends a file as the raw body of a POST (the browser streams it from disk), reporting upload progress;
// answers like apiRequest: the JSON body, or the ApiError that lib/http/client.ts reads from the envelope.
import { apiErrorFrom } from "@/lib/http/client";

export function sendFile<T>(
  url: string,
  file: File,
  contentType: string,
  onProgress: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("content-type", contentType);
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {}
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(apiErrorFrom(xhr.status, data));
    };
    xhr.onerror = () => reject(new TypeError("network error"));
    xhr.send(file);
  });
}
