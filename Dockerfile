# The API and the projector share this image; docker-compose.yml runs each as a service.
FROM python:3.11-slim

# WeasyPrint (documents and tribunal bundles) needs Pango at run time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 planledger
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY application ./application
COPY interfaces ./interfaces
COPY projections ./projections
RUN pip install --no-cache-dir .

USER planledger
ENV PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["planledger", "serve", "--host", "0.0.0.0"]
